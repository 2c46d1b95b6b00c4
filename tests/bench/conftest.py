import pathlib
import sys

# the benchmarks import their shared module as `harness`, as they do when
# run as scripts from bench/
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / 'bench'))
