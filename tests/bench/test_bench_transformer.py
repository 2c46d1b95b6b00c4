"""Wiring of bench/bench_transformer.py, without timing anything: its main
runs against a stand-in `measure`, and its script runs in-process at a
tiny size."""
import json

import pytest

import bench_transformer
import harness

ROW = [1.0, 2048.0, 5000.0, 0.5, 0.6]     # seconds, tokens/s, params, loads


@pytest.fixture
def fake(monkeypatch, tmp_path):
    seen = []

    def measure(python, code, env, cwd):
        seen.append((python, code))
        return list(ROW)
    monkeypatch.setattr(harness, 'measure', measure)
    monkeypatch.setattr(harness, 'versions',
                        lambda pythons, envs, cwd: {k: '0 0' for k in pythons})
    monkeypatch.setattr(harness, 'HERE', tmp_path)
    return seen


def test_main_alternates_ours_and_torch_nn(fake, tmp_path, capsys):
    assert bench_transformer.main(['--ref-python', '/nonexistent/python',
                                   '--repeats', '2', '--steps', '32']) == 0
    impls = [code.split("impl = ")[1].split('\n')[0] for _, code in fake]
    assert impls == ["'d2l'", "'nn'"] * 2
    assert all('T = 1000, 256, 1024, 4, 2, 16, 32' in code
               for _, code in fake)
    result = json.loads((tmp_path / 'results' /
                         'transformer.json').read_text())
    assert result['ours_over_torch.nn']['median_paired_ratio'] == 1.0
    assert 'ours_over_d2l_1.0.3' not in result
    assert '2048 tokens/s' in capsys.readouterr().out


def test_main_refuses_models_of_different_sizes(fake, monkeypatch):
    rows = iter([ROW, ROW[:2] + [4000.0] + ROW[3:]])
    monkeypatch.setattr(harness, 'measure', lambda *a: list(next(rows)))
    with pytest.raises(SystemExit, match='differ in size'):
        bench_transformer.main(['--ref-python', '/nonexistent/python',
                                '--repeats', '1'])


@pytest.mark.parametrize('impl', ['d2l', 'nn'])
def test_script_runs_at_a_tiny_size(impl, capsys):
    code = bench_transformer.SCRIPT.format(
        vocab=20, d=8, ffn=16, heads=2, blocks=1, batch=2, steps=6, timed=1,
        impl=impl)
    exec(compile(code, 'bench_transformer.SCRIPT', 'exec'), {})
    last = capsys.readouterr().out.strip().splitlines()[-1]
    seconds, rate, params, _, _ = map(float, last.split())
    assert seconds > 0 and rate > 0
    # embedding 20*8 + attention 4*(8*8+8) + FFN (8*16+16)+(16*8+8) + 2 LN
    assert params == 20 * 8 + 4 * 72 + 144 + 136 + 2 * 16
