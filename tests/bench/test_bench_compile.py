"""Wiring of bench/bench_compile.py, without timing anything: its main
runs against a stand-in `measure`, and its script runs in-process, eagerly,
at a tiny size (compiling would take seconds)."""
import json

import pytest

import bench_compile
import harness


@pytest.fixture
def fake(monkeypatch, tmp_path):
    """Eager runs do 100 calls/s, compiled ones 150; first call 2 s."""
    seen = []

    def measure(python, code, env, cwd):
        seen.append((code, env))
        rate = 150.0 if "'compiled'" in code.split('\n')[5] else 100.0
        return [1.0, rate, 2.0, 1234.0, 0.5, 0.6]
    monkeypatch.setattr(harness, 'measure', measure)
    monkeypatch.setattr(harness, 'versions',
                        lambda pythons, envs, cwd: {'ours': '0 0'})
    monkeypatch.setattr(harness, 'HERE', tmp_path)
    return seen


def test_main_alternates_eager_and_compiled(fake, tmp_path, capsys):
    assert bench_compile.main(['--repeats', '2', '--tasks', 'inference',
                               '--scale', '0.5']) == 0
    runs = [code.split('\n')[5] for code, _ in fake]
    one_round = ["model, mode, task = 'mlp', 'eager', 'inference'",
                 "model, mode, task = 'mlp', 'compiled', 'inference'",
                 "model, mode, task = 'block', 'eager', 'inference'",
                 "model, mode, task = 'block', 'compiled', 'inference'"]
    assert runs == one_round * 2
    assert 'range(2000)' in fake[0][0]            # 4000 calls at scale 0.5
    assert 'range(30)' in fake[2][0]
    caches = {env['TORCHINDUCTOR_CACHE_DIR'] for _, env in fake}
    assert len(caches) == 1 and all(env['OMP_NUM_THREADS'] == '1'
                                    for _, env in fake)
    result = json.loads((tmp_path / 'results' / 'compile.json').read_text())
    assert set(result['speedups']) == {'mlp inference', 'block inference'}
    block = result['speedups']['block inference']
    assert block['ratio_of_medians'] == block['median_paired_ratio'] == 1.5
    assert block['compile_seconds_cold'] == 2.0
    assert block['compile_seconds_warm'] == 2.0
    assert '1.50x' in capsys.readouterr().out


def test_main_refuses_unknown_tasks(fake):
    with pytest.raises(SystemExit):
        bench_compile.main(['--tasks', 'inference,serving'])
    assert fake == []


@pytest.mark.parametrize('model', ['mlp', 'block'])
@pytest.mark.parametrize('task', ['inference', 'training'])
def test_script_runs_eagerly_at_a_tiny_size(model, task, capsys):
    code = bench_compile.SCRIPT.format(
        model=model, mode='eager', task=task, mlp_batch=2, block_batch=2,
        channels=4, size=6, timed=2)
    exec(compile(code, 'bench_compile.SCRIPT', 'exec'), {})
    last = capsys.readouterr().out.strip().splitlines()[-1]
    seconds, rate, first, params, _, _ = map(float, last.split())
    assert seconds > 0 and rate > 0 and first >= 0
    # MLP: (512*256+256)+(256*128+128)+(128*2+2); block: 2 convs 3x3 of
    # 4 -> 4 channels with biases and 2 batch norms of 4 channels
    assert params == (164482 if model == 'mlp' else 2 * (144 + 4) + 2 * 8)
