"""Quick mode: one switch that shrinks every notebook for CI and smoke tests.

Set ``D2L_QUICK=1`` in the environment and every notebook finishes in well
under a minute on a 2-core CPU. Four things shrink, all decided here:

* the ``Trainer`` uses at most ``LIMITS['max_train_batches']`` /
  ``LIMITS['max_val_batches']`` minibatches per epoch (see :func:`cap`);
* it bounds the whole run, not the epochs: at most
  ``LIMITS['max_train_steps']`` training minibatches (3 x 40), so a run that
  is already that small runs in full, and a large one stops after as many
  capped epochs as fit (see :func:`cap_epochs`);
* loops that cannot count their minibatches in advance cap their epochs at
  ``LIMITS['max_epochs']``;
* data modules and settings cells ask :func:`pick` for a smaller size
  (``d2l.pick(60000, quick=3000)``), and notebooks print :func:`mode` in
  their settings cell, so a reader always sees which mode produced the
  outputs.

Without the variable the book's real configuration runs. The switch is read
at call time, so tests can flip it with ``monkeypatch.setenv``.
"""
import os

from d2l import checks

__all__ = ['LIMITS', 'is_quick', 'pick', 'cap', 'cap_epochs', 'mode']

#: Upper bounds the training loops apply in quick mode.
LIMITS = {
    'max_epochs': 3,          # passes, for loops that cannot count steps
    'max_train_batches': 40,  # minibatches per training epoch
    'max_val_batches': 10,    # minibatches per validation pass
    'max_train_steps': 120,   # training minibatches of a whole run (3 x 40)
}

_TRUE = {'1', 'true', 'yes', 'on'}


def is_quick():
    """Whether quick mode is on (environment variable ``D2L_QUICK``)."""
    return os.environ.get('D2L_QUICK', '').strip().lower() in _TRUE


def pick(full, quick):
    """Return `quick` in quick mode and `full` otherwise."""
    return quick if is_quick() else full


def cap(name, value):
    """Clip `value` to ``LIMITS[name]`` in quick mode; unchanged otherwise."""
    if name not in LIMITS:
        raise KeyError(f'unknown quick-mode limit {name!r}; '
                       f'expected one of {sorted(LIMITS)}')
    return min(value, LIMITS[name]) if is_quick() else value


def cap_epochs(max_epochs, batches_per_epoch):
    """Epochs to run: `max_epochs`, fewer in quick mode if the run is long.

    In quick mode a run may take ``LIMITS['max_train_steps']`` training
    minibatches in all; with `batches_per_epoch` of them per epoch (already
    capped by :func:`cap`) that allows ``max_train_steps //
    batches_per_epoch`` epochs, and always at least one.
    """
    max_epochs = checks.integer(max_epochs, 'max_epochs', at_least=1)
    batches_per_epoch = checks.integer(batches_per_epoch, 'batches_per_epoch',
                                       at_least=0)
    if not is_quick() or batches_per_epoch == 0:
        return max_epochs
    affordable = max(1, LIMITS['max_train_steps'] // batches_per_epoch)
    return min(max_epochs, affordable)


def mode():
    """One line naming the mode that runs, for a notebook's settings cell."""
    if is_quick():
        return ('quick mode (D2L_QUICK=1): small data and short runs; '
                f"the Trainer takes at most {LIMITS['max_train_steps']} "
                f"training minibatches per run "
                f"({LIMITS['max_train_batches']} per epoch)")
    return 'full mode: the book configuration'
