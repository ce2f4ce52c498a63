"""The answer checker's sentences (common/check.py, check_diagnosis.py, check_support.py)."""

MESSAGES = {
}
