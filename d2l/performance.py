"""Performance plumbing: what a run will cost, and two switches that speed it up.

Three things the notebooks use but do not teach line by line:

* :func:`estimate_fit_time` -- called just before ``trainer.fit(model, data)``
  in sections that train at 96 or 224 pixels. On a CPU in full mode it times a
  few real training steps, prints one line with the expected duration of the
  whole run and how to get a small one (``D2L_QUICK=1``), puts the model back
  exactly as it was, and returns. In quick mode, or when the trainer uses a
  GPU, it prints nothing.
* :func:`count_macs` -- multiply-adds per example of the convolutions and
  dense layers of a model, measured on one forward pass.
* :func:`speedups` -- the context in which ``Trainer.fit`` runs its epochs:
  it applies the trainer's ``channels_last`` and ``mixed_precision`` switches
  to the model (memory format of weights and inputs; bfloat16 autocast of the
  forward pass) and undoes them when training ends.

Mixed precision means bfloat16 on every device. It has the exponent range of
float32, so gradients cannot underflow and no loss scaling is needed: the
training loop (backward, clipping, optimizer step) stays exactly as written.
Float16 with a gradient scaler would be faster on GPUs older than Ampere, but
needs a changed loop; it is left out on purpose.
"""
import contextlib
import copy
import math
import time

import torch
from torch import nn

__all__ = ['estimate_fit_time', 'count_macs', 'speedups', 'autocast_dtype',
           'to_channels_last']


def _d2l():
    from d2l import torch as d2l        # late: d2l.torch imports this module
    return d2l


# ---------------------------------------------------------------- MACs ----

def count_macs(model, X):
    """Multiply-adds per example of the Conv and Linear layers of `model` on X.

    One forward pass (eval mode, no gradients) over the batch `X`; each layer
    contributes (its output values) x (inputs each one reads), the layer's
    weight row size. Pooling, normalisation and activations are not counted:
    in CNNs they are a small share of the arithmetic.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f'model must be an nn.Module, got '
                        f'{type(model).__name__}')
    if not torch.is_tensor(X):
        raise TypeError(f'X must be a tensor with a batch dimension first, '
                        f'got {type(X).__name__}')
    if X.ndim < 1 or X.shape[0] < 1:
        raise ValueError(f'X must hold at least one example along dim 0, '
                         f'got shape {tuple(X.shape)}')
    total = 0
    kinds = (nn.modules.conv._ConvNd, nn.Linear)

    def hook(layer, inputs, output):
        nonlocal total
        if isinstance(layer, nn.modules.conv._ConvTransposeNd):
            # every input value is multiplied with one (c_out/g) x k.. slice
            total += inputs[0].numel() * layer.weight[0].numel()
        else:
            # every output value is a dot product with one weight row
            total += output.numel() * layer.weight[0].numel()

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, kinds)]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(X)
    finally:
        model.train(was_training)
        for h in handles:
            h.remove()
    batch = X.shape[0]
    if total % batch:
        raise AssertionError(f'{total} MACs do not divide by batch {batch}')
    return total // batch


# ----------------------------------------------------- Trainer switches ----

def autocast_dtype(device):
    """The dtype the mixed_precision switch computes in on `device` (bf16)."""
    device = torch.device(device)
    if device.type == 'cuda' and not torch.cuda.is_bf16_supported():
        raise RuntimeError(f'mixed_precision needs bfloat16, which {device} '
                           'does not support')
    return torch.bfloat16


def to_channels_last(value):
    """`value` with every 4-d tensor in channels-last memory format.

    Tuples and lists are converted element by element; anything else passes.
    """
    if torch.is_tensor(value):
        if value.ndim == 4:
            return value.contiguous(memory_format=torch.channels_last)
        return value
    if isinstance(value, (tuple, list)):
        return type(value)(to_channels_last(v) for v in value)
    return value


def _model_device(model):
    for t in model.parameters():
        if not isinstance(t, nn.parameter.UninitializedParameter):
            return t.device
    return torch.device('cpu')


def _wrapped_forward(forward, channels_last, dtype):
    """`forward` taking channels-last inputs and running under autocast."""
    def run(*args, **kwargs):
        if channels_last:
            args = to_channels_last(args)
        if dtype is None:
            return forward(*args, **kwargs)
        device = args[0].device if args and torch.is_tensor(args[0]) else \
            torch.device('cpu')
        with torch.autocast(device.type, dtype=dtype):
            out = forward(*args, **kwargs)
        # losses and metrics then work in float32, as without the switch
        return out.float() if torch.is_tensor(out) and \
            out.is_floating_point() else out
    run.__wrapped__ = forward
    return run


@contextlib.contextmanager
def speedups(trainer, model=None):
    """Apply `trainer`'s channels_last and mixed_precision switches to a model.

    Inside the context the model's weights are channels-last (with the
    switch on) and its forward converts 4-d inputs to channels-last and runs
    under bfloat16 autocast (with mixed_precision on); its output comes back
    as float32, so loss, backward and optimizer step are untouched. On exit
    the model's own forward is restored; the weights keep their memory
    format, which changes no value. With both switches off it does nothing.
    """
    model = trainer.model if model is None else model
    channels_last = bool(getattr(trainer, 'channels_last', False))
    mixed = bool(getattr(trainer, 'mixed_precision', False))
    if not (channels_last or mixed):
        yield model
        return
    dtype = autocast_dtype(_model_device(model)) if mixed else None
    if channels_last:
        model.to(memory_format=torch.channels_last)
    own = model.__dict__.get('forward')     # an instance-level forward, if any
    model.forward = _wrapped_forward(model.forward, channels_last, dtype)
    try:
        yield model
    finally:
        if own is None:
            del model.forward
        else:
            model.forward = own


# ----------------------------------------------------- time estimate ----

def _duration(seconds):
    """'about 40 s', 'about 12 min', 'about 3 h 20 min', 'about 2.5 days'."""
    if seconds < 90:
        return f'about {max(1, round(seconds))} s'
    minutes = seconds / 60
    if minutes < 90:
        return f'about {round(minutes)} min'
    hours = minutes / 60
    if hours < 48:
        h = int(hours)
        m = int(round((hours - h) * 60 / 10) * 10)   # to 10 minutes
        if m == 60:
            h, m = h + 1, 0
        return f'about {h} h' + (f' {m} min' if m else '')
    return f'about {hours / 24:.1f} days'


def _step(trainer, model, optim, batch):
    """One training step as Trainer.fit_epoch takes it, without recording."""
    *inputs, Y = batch
    loss = model.loss(model(*inputs), Y)
    optim.zero_grad()
    loss.backward()
    with torch.no_grad():
        clip = getattr(trainer, 'gradient_clip_val', 0)
        if clip > 0:
            trainer.clip_gradients(clip, model)
        optim.step()


def estimate_fit_time(trainer, model, data, num_steps=3, max_seconds=30):
    """Print how long `trainer.fit(model, data)` will take on this CPU.

    Full mode on a CPU only: times one warm-up and up to `num_steps` training
    steps (stopping early after `max_seconds`), and one validation batch,
    then scales by the numbers of minibatches and epochs the run will take.
    The model's parameters, buffers, mode and the random state are restored,
    so the run that follows is the one that would have run without the call.
    Returns the estimate in seconds, or None (printing nothing) in quick mode
    or when the trainer uses a GPU.
    """
    d2l = _d2l()
    d2l.checks.instance(trainer, 'trainer', d2l.Trainer)
    d2l.checks.provides(model, 'model', ['loss', 'configure_optimizers'],
                        like='d2l.Module')
    d2l.checks.provides(data, 'data', ['train_dataloader', 'val_dataloader'],
                        like='d2l.DataModule')
    num_steps = d2l.checks.integer(num_steps, 'num_steps', at_least=1)
    max_seconds = d2l.checks.real(max_seconds, 'max_seconds', at_least=0)
    if d2l.is_quick() or getattr(trainer, 'gpus', None):
        return None
    trainer.prepare_data(data)
    if trainer.num_train_batches == 0:
        raise ValueError('the training loader of data is empty')
    num_epochs = trainer.num_epochs
    rng = torch.get_rng_state()             # shuffling draws from it too
    train_iter = iter(trainer.train_dataloader)
    was_training = model.training
    first = trainer.prepare_batch(next(train_iter))
    if any(isinstance(p, nn.parameter.UninitializedParameter)
           for p in model.parameters()):
        model.apply_init(list(first[:-1]))   # shapes only; fit would do it too
    saved = copy.deepcopy(model.state_dict())
    optim = model.configure_optimizers()
    times, batch = [], first
    model.train()
    try:
        with speedups(trainer, model):
            for i in range(num_steps + 1):    # step 0 warms up, not counted
                start = time.perf_counter()
                if i:
                    try:
                        batch = trainer.prepare_batch(next(train_iter))
                    except StopIteration:
                        break
                _step(trainer, model, optim, batch)
                if i:
                    times.append(time.perf_counter() - start)
                    if sum(times) > max_seconds:
                        break
            val_time = 0.0
            if trainer.num_val_batches:
                model.eval()
                start = time.perf_counter()
                with torch.no_grad():
                    *inputs, _ = trainer.prepare_batch(
                        next(iter(trainer.val_dataloader)))
                    model(*inputs)
                val_time = time.perf_counter() - start
    finally:
        model.load_state_dict(saved)
        model.train(was_training)
        torch.set_rng_state(rng)
        del optim
    step_time = (sum(times) / len(times)) if times else val_time * 3
    per_epoch = (trainer.num_train_batches * step_time
                 + trainer.num_val_batches * val_time)
    total = num_epochs * per_epoch
    threads = torch.get_num_threads()
    print(f'Estimated time of this run on this CPU '
          f'({threads} thread{"s" if threads != 1 else ""}): '
          f'{_duration(total)} '
          f'({num_epochs} epochs of {trainer.num_train_batches} '
          f'minibatches at {step_time:.2g} s each). '
          'For a small run of under a minute, set D2L_QUICK=1.')
    return total if math.isfinite(total) else None
