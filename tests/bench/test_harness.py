"""The shared plumbing of bench/ (bench/harness.py) and the benchmarks'
wiring, without timing anything: `measure` runs tiny scripts, and a
benchmark's `main` runs against a stand-in `measure`."""
import json
import sys

import pytest

import bench_airfoil
import bench_fashion_mnist
import bench_gru_lm
import bench_lenet
import bench_resnet
import harness


def test_environments_equal_but_for_pythonpath(monkeypatch):
    monkeypatch.setenv('PYTHONPATH', '/somewhere')
    monkeypatch.setenv('D2L_QUICK', '1')
    monkeypatch.setenv('OMP_NUM_THREADS', '7')
    envs = harness.environments(2, D2L_DATA_DIR='/tmp/x')
    assert envs['ours']['PYTHONPATH'] == '/somewhere'
    assert 'PYTHONPATH' not in envs['ref']
    for env in envs.values():
        assert env['OMP_NUM_THREADS'] == '2'
        assert 'D2L_QUICK' not in env          # benchmarks are full mode
        assert env['D2L_DATA_DIR'] == '/tmp/x'
    unset = harness.environments(None)
    assert 'OMP_NUM_THREADS' not in unset['ours']


@pytest.mark.parametrize('threads', [0, -1, 1.5, True, 'two'])
def test_environments_refuse_bad_thread_counts(threads):
    with pytest.raises((ValueError, TypeError)):
        harness.environments(threads)


def test_measure_reads_the_last_line(tmp_path):
    row = harness.measure(sys.executable, 'print("noise")\nprint(1, 2.5)',
                          {}, tmp_path)
    assert row == [1.0, 2.5]


def test_measure_can_return_stderr(tmp_path):
    row, err = harness.measure(
        sys.executable, 'import sys; print("x", file=sys.stderr); print(3)',
        {}, tmp_path, with_stderr=True)
    assert row == [3.0] and err.strip() == 'x'


def test_measure_reports_a_failing_run(tmp_path):
    with pytest.raises(RuntimeError, match='ZeroDivisionError'):
        harness.measure(sys.executable, '1 / 0', {}, tmp_path)
    with pytest.raises(RuntimeError, match='printed nothing'):
        harness.measure(sys.executable, 'pass', {}, tmp_path)


def test_alternate_interleaves_rounds():
    calls = []
    runs = harness.alternate(['a', 'b'], 3,
                             lambda n: calls.append(n) or [len(calls)])
    assert calls == ['a', 'b'] * 3
    assert runs == {'a': [[1], [3], [5]], 'b': [[2], [4], [6]]}


def test_medians_and_speedups():
    ours = [[1.0, 30.0], [1.0, 10.0], [1.0, 24.0]]
    ref = [[2.0, 10.0], [2.0, 5.0], [2.0, 20.0]]
    assert harness.medians(ours) == [1.0, 24.0]
    speed = harness.speedups(ours, ref, 1)
    assert speed['paired_ratios'] == [3.0, 2.0, 1.2]
    assert speed['median_paired_ratio'] == 2.0
    assert speed['ratio_of_medians'] == pytest.approx(24.0 / 10.0)
    with pytest.raises(ValueError, match='unpaired'):
        harness.paired_ratios(ours, ref[:2], 1)
    with pytest.raises(ValueError, match='no runs'):
        harness.medians([])


def test_versions_stop_on_a_wrong_reference(tmp_path):
    fake = tmp_path / 'python'
    fake.write_text('#!/bin/sh\necho 9.9 2.0\n')
    fake.chmod(0o755)
    envs = harness.environments(1)
    with pytest.raises(SystemExit, match='not the reference d2l'):
        harness.versions({'ref': str(fake)}, envs, tmp_path)


def test_prepare_fashion_mnist_copies_or_complains(tmp_path):
    mirror = tmp_path / 'mirror'
    (mirror / 'fashion-mnist').mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match='D2L_DATA_MIRROR'):
        harness.prepare_fashion_mnist(mirror, tmp_path / 'root')
    for name in harness.FASHION_MNIST_FILES:
        (mirror / 'fashion-mnist' / name).write_bytes(name.encode())
    harness.prepare_fashion_mnist(mirror, tmp_path / 'root')
    raw = tmp_path / 'root' / 'FashionMNIST' / 'raw'
    assert sorted(p.name for p in raw.iterdir()) == sorted(
        harness.FASHION_MNIST_FILES)


@pytest.fixture
def fake_bench(monkeypatch, tmp_path):
    """Run a benchmark's main with our interpreter only, a stand-in
    `measure` and its results written under tmp_path."""
    seen = []

    def measure(python, code, env, cwd, with_stderr=False):
        seen.append(code)
        row = list(ROWS[fake_bench.name])
        return (row, 'profile report') if with_stderr else row
    monkeypatch.setattr(harness, 'measure', measure)
    monkeypatch.setattr(harness, 'versions',
                        lambda pythons, envs, cwd: {k: '0 0' for k in pythons})
    monkeypatch.setattr(harness, 'HERE', tmp_path)
    fake_bench.seen = seen
    return fake_bench


ROWS = {'lenet': [2.0, 3000.0, 0.7], 'resnet': [1.0, 12.0, 0.5, 0.6, 1.0],
        'fashion': [0.1, 0.5, 120000.0], 'gru': [3.0, 150000.0, 7.1],
        'airfoil': [0.5, 0.02, 0.246]}
NO_REF = ['--ref-python', '/nonexistent/python']


def test_lenet_main_wiring(fake_bench, tmp_path, capsys):
    fake_bench.name = 'lenet'
    assert bench_lenet.main(NO_REF + ['--epochs', '2', '--repeats', '2']) == 0
    assert len(fake_bench.seen) == 2
    assert 'max_epochs=2' in fake_bench.seen[0]
    result = json.loads((tmp_path / 'results' / 'lenet.json').read_text())
    assert result['runs']['ours'] == [ROWS['lenet']] * 2
    assert '3000 examples/s' in capsys.readouterr().out


def test_resnet_main_wiring(fake_bench, tmp_path):
    fake_bench.name = 'resnet'
    assert bench_resnet.main(NO_REF + ['--repeats', '1']) == 0
    assert len(fake_bench.seen) == 4          # the four settings of ours
    assert any("'channels_last': True" in code for code in fake_bench.seen)
    table = json.loads((tmp_path / 'results' /
                        'resnet_switches.json').read_text())['table']
    assert table['both']['speedup'] == 1.0


def test_fashion_mnist_main_wiring(fake_bench, capsys):
    fake_bench.name = 'fashion'
    assert bench_fashion_mnist.main(NO_REF + ['--repeats', '1']) == 0
    assert len(fake_bench.seen) == 4          # warm-up + one round, 2 each
    assert '120000 examples/s' in capsys.readouterr().out


def test_gru_lm_main_wiring(fake_bench, monkeypatch, tmp_path, capsys):
    fake_bench.name = 'gru'
    mirror = tmp_path / 'mirror'
    mirror.mkdir()
    (mirror / 'timemachine.txt').write_text('the time machine')
    monkeypatch.setenv('D2L_DATA_MIRROR', str(mirror))
    assert bench_gru_lm.main(NO_REF + ['--epochs', '3', '--repeats', '2',
                                       '--profile']) == 0
    assert len(fake_bench.seen) == 3          # two rounds + one profile
    assert 'max_epochs=3' in fake_bench.seen[0]
    assert 'cProfile' in fake_bench.seen[-1]
    out = capsys.readouterr().out
    assert '150000 chars/s' in out and 'profile report' in out
    result = json.loads((tmp_path / 'results' / 'gru_lm.json').read_text())
    assert result['runs']['ours'] == [ROWS['gru']] * 2


def test_airfoil_main_wiring(fake_bench, monkeypatch, tmp_path, capsys):
    fake_bench.name = 'airfoil'
    mirror = tmp_path / 'mirror'
    mirror.mkdir()
    (mirror / 'airfoil_self_noise.dat').write_text('1\t2\t3\t4\t5\t6\n')
    monkeypatch.setenv('D2L_DATA_MIRROR', str(mirror))
    assert bench_airfoil.main(NO_REF + ['--epochs', '3', '--repeats', '2',
                                        '--batch-size', '7']) == 0
    assert len(fake_bench.seen) == 2
    code = fake_bench.seen[0]
    assert 'get_data_ch11(batch_size=7)' in code
    assert "{'lr': 0.05}" in code and 'num_epochs=3' in code
    assert 'loss 0.246' in capsys.readouterr().out
    result = json.loads((tmp_path / 'results' / 'airfoil.json').read_text())
    assert result['runs']['ours'] == [ROWS['airfoil']] * 2
