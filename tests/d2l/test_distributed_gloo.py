"""A real two-process job on the gloo backend, launched with torchrun.

Section 13.5 (multiple-gpus) writes its worker code to files with
``%%writefile`` and launches them with ``python -m torch.distributed.run``;
13.6 and 13.7 run DistributedDataParallel the same way. This test takes the
section's own ``allreduce.py`` and ``model.py`` out of the notebook source,
starts two gloo processes on the CPU, and checks in them that

* ``dist.all_reduce`` sums across the two processes;
* the section's ``ring_all_reduce`` agrees with ``dist.all_reduce``, also
  for tensors whose size is not a multiple of the world size or is smaller
  than it;
* one data-parallel step (each rank takes its ``d2l.split_batch`` shard,
  gradients summed by ``ring_all_reduce``) and one step of
  ``DistributedDataParallel`` both equal the single-process step on the
  whole minibatch.

Each rank writes what it found to a JSON file; the assertions run here.
"""
import json
import os
import pathlib
import re
import subprocess
import sys

import pytest
import torch.distributed as dist

SECTION = (pathlib.Path(__file__).resolve().parents[2] / 'chapters'
           / 'computational-performance' / 'multiple-gpus.md')

pytestmark = pytest.mark.skipif(not dist.is_available() or
                                not dist.is_gloo_available(),
                                reason='torch.distributed with gloo missing')


def written_files(path=SECTION):
    """{file name: text} of the %%writefile cells of a section source."""
    files = {}
    cells = re.findall(r'^```python\n(.*?)^```', path.read_text(),
                       flags=re.S | re.M)
    for cell in cells:
        first, _, body = cell.partition('\n')
        match = re.match(r'%%writefile( -a)? \{workdir\}/(\S+)$', first)
        if match:
            append, name = match.groups()
            files[name] = (files.get(name, '') if append else '') + body
    return files


WORKER = '''
import json, os, sys
import torch
import torch.distributed as dist
from torch import nn
from torch.nn import functional as F
from d2l import torch as d2l
from allreduce import ring_all_reduce
from model import init_params, lenet

dist.init_process_group('gloo')
rank, world = dist.get_rank(), dist.get_world_size()
out = {'rank': rank, 'world': world, 'backend': dist.get_backend()}

x = torch.tensor([rank + 1.0])
dist.all_reduce(x)
out['sum'] = x.item()

errors = {}
for size in (1, 2, 7, 1000):
    gen = torch.Generator().manual_seed(100 + rank)
    x = torch.randn(size, dtype=torch.float64, generator=gen)
    expected = x.clone()
    dist.all_reduce(expected)
    errors[size] = (ring_all_reduce(x) - expected).abs().max().item()
out['ring_errors'] = errors

# one minibatch, the same on every rank; each rank trains on its shard
gen = torch.Generator().manual_seed(0)
X = torch.randn(10, 1, 28, 28, generator=gen)
y = torch.randint(0, 10, (10,), generator=gen)
X_shards, y_shards = d2l.split_batch(X, y, ['cpu'] * world)
lr = 0.1

single = [p.requires_grad_() for p in init_params(seed=3)]
F.cross_entropy(lenet(X, single), y, reduction='sum').backward()
d2l.sgd(single, lr, len(y))

params = [p.requires_grad_() for p in init_params(seed=3)]
F.cross_entropy(lenet(X_shards[rank], params), y_shards[rank],
                reduction='sum').backward()
flat = torch.cat([p.grad.reshape(-1) for p in params])
ring_all_reduce(flat)
for p, g in zip(params, flat.split([p.numel() for p in params])):
    p.grad.copy_(g.view_as(p))
d2l.sgd(params, lr, len(y))
out['by_hand'] = max((a - b).abs().max().item()
                     for a, b in zip(params, single))

torch.manual_seed(5)                        # the same net on every rank
net = nn.Sequential(nn.Flatten(), nn.Linear(784, 16), nn.ReLU(),
                    nn.Linear(16, 10))
reference = [p.detach().clone() for p in net.parameters()]
ddp = nn.parallel.DistributedDataParallel(net)
trainer = torch.optim.SGD(ddp.parameters(), lr=lr)
F.cross_entropy(ddp(X_shards[rank]), y_shards[rank]).backward()
trainer.step()                              # DDP averages the gradients
ref = nn.Sequential(nn.Flatten(), nn.Linear(784, 16), nn.ReLU(),
                    nn.Linear(16, 10))
with torch.no_grad():
    for p, q in zip(ref.parameters(), reference):
        p.copy_(q)
# the mean over ranks of the shard means equals the mean over the batch
# only for equal shards, which 10 examples over 2 ranks give
F.cross_entropy(ref(X), y).backward()
with torch.no_grad():
    for p in ref.parameters():
        p -= lr * p.grad
out['ddp'] = max((a - b).abs().max().item()
                 for a, b in zip(net.parameters(), ref.parameters()))

with open(os.path.join(sys.argv[1], f'rank{rank}.json'), 'w') as f:
    json.dump(out, f)
dist.destroy_process_group()
'''


@pytest.fixture(scope='module')
def results(tmp_path_factory):
    """What each of two gloo processes found, as a list of dicts."""
    folder = tmp_path_factory.mktemp('gloo')
    files = written_files()
    assert {'allreduce.py', 'model.py'} <= set(files), sorted(files)
    for name in ('allreduce.py', 'model.py'):
        (folder / name).write_text(files[name])
    (folder / 'worker.py').write_text(WORKER)
    env = dict(os.environ, OMP_NUM_THREADS='1')
    env.pop('D2L_QUICK', None)
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone',
           '--nproc-per-node', '2', str(folder / 'worker.py'), str(folder)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads((folder / f'rank{r}.json').read_text())
            for r in range(2)]


def test_section_writes_the_worker_modules():
    files = written_files()
    assert 'def ring_all_reduce(x):' in files['allreduce.py']
    assert 'def lenet(X, params):' in files['model.py']
    assert files['train.py'].count('def ') == 2      # built in four cells


def test_train_script_takes_its_backend_from_the_notebook():
    # both runs must use one backend, or a speed-up compares GPU with CPU
    train = written_files()['train.py']
    assert "dist.init_process_group(args.backend)" in train
    assert 'device_count' not in train


def test_two_gloo_processes_run(results):
    assert [r['rank'] for r in results] == [0, 1]
    assert all(r['world'] == 2 and r['backend'] == 'gloo' for r in results)


def test_builtin_all_reduce_sums(results):
    assert [r['sum'] for r in results] == [3.0, 3.0]


def test_ring_all_reduce_matches_dist_all_reduce(results):
    for r in results:
        assert set(r['ring_errors']) == {'1', '2', '7', '1000'}
        assert max(r['ring_errors'].values()) <= 1e-12, r['ring_errors']


def test_hand_synchronised_step_is_the_single_process_step(results):
    assert all(r['by_hand'] < 1e-6 for r in results), results


def test_ddp_step_is_the_single_process_step(results):
    assert all(r['ddp'] < 1e-6 for r in results), results
