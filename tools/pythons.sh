# Which Pythons this project works with, and how to find them. Sourced by tools/setup.sh and .ci/run.
#
# 3.11 is the oldest: NumPy 2.4 and SciPy 1.17 publish nothing for 3.10. 3.13 is the newest:
# TensorFlow 2.21 has no wheel for 3.14. Newest first, because setup.sh takes the first it finds.
SUPPORTED_PYTHONS="3.13 3.12 3.11"
SUPPORTED_TEXT="Python 3.11, 3.12 or 3.13"

# Print "3.12" for an interpreter that runs, fail for one that does not. Running it is the only
# honest test: a pyenv shim such as python3.12 is on the PATH even when that version is not
# active, and then it only prints "command not found".
python_version() {
  "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

is_supported() {
  case " $SUPPORTED_PYTHONS " in *" $1 "*) return 0;; esac
  return 1
}

# The newest supported interpreter that runs as a command on the PATH: python3.13, python3.12,
# python3.11, then plain python3 (a system that names its Python only that way).
newest_python_on_path() {
  local version candidate
  for version in $SUPPORTED_PYTHONS; do
    candidate=python$version
    if [ "$(python_version "$candidate")" = "$version" ]; then echo "$candidate"; return 0; fi
  done
  version=$(python_version python3) && is_supported "$version" && { echo python3; return 0; }
  return 1
}

# Every supported Python on this machine, newest first, one "3.12 python3.12" a line:
# the command on the PATH when it runs, else pyenv's newest release of that version (installed
# but not active, so its shim does not run). Free-threaded and -dev builds are left out.
all_supported_pythons() {
  local version candidate pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
  for version in $SUPPORTED_PYTHONS; do
    for candidate in "python$version" $(ls -d "$pyenv_root/versions/$version".* 2>/dev/null \
        | grep -E "/$version\.[0-9]+$" | sort -V -r | sed "s|\$|/bin/python$version|"); do
      if [ "$(python_version "$candidate")" = "$version" ]; then
        echo "$version $candidate"
        break
      fi
    done
  done
}
