"""Running out of memory, in any framework, becomes one line that names the flags to lower.

Each framework has its own error for a failed allocation:
    PyTorch     torch.OutOfMemoryError (torch.cuda.OutOfMemoryError is the same class), and on
                the CPU a RuntimeError "DefaultCPUAllocator: can't allocate memory"
    TensorFlow  tf.errors.ResourceExhaustedError ("OOM when allocating tensor ..."), Keras on
                TensorFlow too
    Chainer     cupy.cuda.memory.OutOfMemoryError on a GPU (a MemoryError)
    NumPy       a MemoryError ("Unable to allocate ...") on the CPU
They are told by class name and message, so that this module imports no framework: most
machines lack some of them. The memory a step needs grows with the batch and with the image's
area (the DCGAN's largest layers with --size squared), so the flags to lower are --batch-size
and --size.
"""

from common.errors import UserError
from common.language import current, say_in

CLASS_NAMES = ("OutOfMemoryError", "ResourceExhaustedError", "MemoryError")  # any class in the error's MRO
MESSAGES = ("out of memory", "oom when allocating", "can't allocate memory", "cudnn_status_not_enough_memory",
            "cudnn_status_alloc_failed", "cublas_status_alloc_failed")  # lower case
GPU_SIGNS = ("cuda", "gpu", "cudnn", "cublas")  # in the class's module or the message, lower case


class OutOfMemory(UserError):
    """An allocation failed during training: stop, keep the last checkpoint, name the flags to lower.
    The message is in the learner's language; `english`, what metrics.json keeps, in English."""

    def __init__(self, message, english=None):
        super().__init__(message)
        self.english = message if english is None else english


def _chain(error):
    """The error and those it was raised from or while handling, innermost last."""
    seen = []
    while error is not None and not any(error is each for each in seen):
        seen.append(error)
        error = error.__cause__ or error.__context__
    return seen


def _is_one(error):
    names = {cls.__name__ for cls in type(error).__mro__}
    message = str(error).lower()
    return bool(names.intersection(CLASS_NAMES)) or any(text in message for text in MESSAGES)


def out_of_memory_error(error):
    """The out-of-memory error in `error`'s chain (the error itself first), or None."""
    return next((each for each in _chain(error) if _is_one(each)), None)


def where(error):
    """'the GPU' or 'the machine': what ran out, from the error's module and message."""
    text = f"{type(error).__module__} {error}".lower()
    return "the GPU" if any(sign in text for sign in GPU_SIGNS) else "the machine"


def sentence(error, iteration=None, args=None, language=None):
    """What ran out (at which iteration, from 0, with which flags) and which flags to lower, in
    `language` (the learner's by default)."""
    device = "gpu" if where(error) == "the GPU" else "machine"
    if iteration is None or args is None:
        return say_in(language or current(), f"oom_{device}")
    return say_in(language or current(), f"oom_{device}_at", iteration=iteration + 1, batch_size=args.batch_size,
                  size=args.size)


def stop_if_out_of_memory(error, iteration, args):
    """Raise OutOfMemory, in one sentence, when `error` (raised by the step of `iteration`, from 0)
    is a failed allocation. The step's weights may be half updated: the harness saves nothing and
    keeps the last checkpoint."""
    found = out_of_memory_error(error)
    if found is not None:
        raise OutOfMemory(sentence(found, iteration, args), english=sentence(found, iteration, args, "en")) from None


def out_of_memory_line(error):
    """The one line for an error that reached the command line outside the training loop (building
    the model, a progress grid, the test), or None when it is no failed allocation."""
    found = out_of_memory_error(error)
    return None if found is None else sentence(found)
