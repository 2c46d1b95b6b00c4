"""Quick mode: one switch that shrinks every notebook for CI and smoke tests.

Set ``D2L_QUICK=1`` in the environment and every notebook finishes in well
under a minute on a 2-core CPU. Three things shrink, all decided here:

* the ``Trainer`` runs at most ``LIMITS['max_epochs']`` epochs and at most
  ``LIMITS['max_train_batches']`` / ``LIMITS['max_val_batches']`` minibatches
  per epoch (see :func:`cap`);
* data modules and settings cells ask :func:`pick` for a smaller size
  (``d2l.pick(60000, quick=3000)``);
* notebooks print :func:`mode` in their settings cell, so a reader always
  sees which mode produced the outputs.

Without the variable the book's real configuration runs. The switch is read
at call time, so tests can flip it with ``monkeypatch.setenv``.
"""
import os

__all__ = ['LIMITS', 'is_quick', 'pick', 'cap', 'mode']

#: Upper bounds the training loop applies in quick mode.
LIMITS = {
    'max_epochs': 3,          # passes over the (already reduced) data
    'max_train_batches': 40,  # minibatches per training epoch
    'max_val_batches': 10,    # minibatches per validation pass
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


def mode():
    """One line naming the mode that runs, for a notebook's settings cell."""
    if is_quick():
        return ('quick mode (D2L_QUICK=1): at most '
                f"{LIMITS['max_epochs']} epochs of "
                f"{LIMITS['max_train_batches']} minibatches, small data")
    return 'full mode: the book configuration'
