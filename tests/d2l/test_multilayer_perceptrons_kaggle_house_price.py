"""Tests of the saved code of Section 5.7 (KaggleHouse, k_fold_data)."""
import math

import numpy as np
import pandas as pd
import pytest
import torch

from d2l import torch as d2l


def tiny_house():
    """A KaggleHouse whose raw frames are two sales and one test house."""
    data = d2l.KaggleHouse(batch_size=2, train=pd.DataFrame(),
                           val=pd.DataFrame())
    data.raw_train = pd.DataFrame({'Id': [1, 2], 'A': [1.0, 3.0],
                                   'B': ['x', None],
                                   'SalePrice': [100, 200]})
    data.raw_val = pd.DataFrame({'Id': [3], 'A': [np.nan], 'B': ['y']})
    data.preprocess()
    return data


def test_data_hub_registers_both_csvs():
    url, sha1 = d2l.DATA_HUB['kaggle_house_train']
    assert url.endswith('kaggle_house_pred_train.csv')
    assert sha1 == '585e9cc93e70b39160e7921475f9bcd7d31219ce'
    assert d2l.DATA_HUB['kaggle_house_test'][1] == (
        'fa19780a7b011d9b009e8bff8e99922a8ee2eb90')


def test_preprocess_standardizes_fills_and_one_hots():
    data = tiny_house()
    s = 1 / math.sqrt(2)            # (1 - 2) / std, std = sqrt(2) (ddof 1)
    assert list(data.val.columns) == ['A', 'B_x', 'B_y', 'B_nan']
    assert data.train['A'].tolist() == pytest.approx([-s, s])
    assert data.val['A'].tolist() == [0.0]          # missing -> mean -> 0
    assert data.train[['B_x', 'B_nan']].to_numpy().tolist() == [[1, 0],
                                                                 [0, 1]]
    assert data.val['B_y'].tolist() == [1.0]
    assert data.train['SalePrice'].tolist() == [100, 200]


def test_loader_gives_log_prices_and_skips_unlabeled_split():
    data = tiny_house()
    X, y = next(iter(data.get_dataloader(train=True)))
    assert X.shape == (2, 4) and y.shape == (2, 1)
    assert sorted(y.flatten().tolist()) == pytest.approx(
        [math.log(100), math.log(200)])
    assert data.get_dataloader(train=False) is None


def test_real_csvs_shapes(mirror):
    data = d2l.KaggleHouse(batch_size=64)
    assert data.raw_train.shape == (1460, 81)
    assert data.raw_val.shape == (1459, 80)
    data.preprocess()
    assert data.train.shape == (1460, 331)
    assert data.val.shape == (1459, 330)
    assert not data.train.isna().any().any()


def test_loader_before_preprocess_raises(mirror):
    data = d2l.KaggleHouse(batch_size=2)
    with pytest.raises(RuntimeError, match='call preprocess'):
        data.get_dataloader(train=True)


def unprocessed_house(tmp_path, monkeypatch):
    """A KaggleHouse read from two tiny CSV files, not yet preprocessed."""
    files = {'kaggle_house_pred_train.csv': 'Id,A,SalePrice\n1,1.0,100\n'
                                            '2,3.0,200\n3,5.0,300\n',
             'kaggle_house_pred_test.csv': 'Id,A\n4,2.0\n'}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(d2l, 'download', lambda url, folder=None, sha1=None:
                        str(tmp_path / url.rsplit('/', 1)[-1]))
    return d2l.KaggleHouse(batch_size=2)


def test_k_fold_data_before_preprocess_raises(tmp_path, monkeypatch):
    data = unprocessed_house(tmp_path, monkeypatch)
    assert data.raw_train.shape == (3, 3) and data.train is None
    with pytest.raises(RuntimeError, match=r'call preprocess\(\) before'):
        d2l.k_fold_data(data, 2)
    with pytest.raises(RuntimeError, match=r'call preprocess\(\) before'):
        data.get_dataloader(train=True)
    data.preprocess()
    assert [len(fold.val) for fold in d2l.k_fold_data(data, 2)] == [1, 1]


@pytest.mark.parametrize('kwargs, error, message', [
    ({'batch_size': 0}, ValueError, 'batch_size must be an integer >= 1, '
                                    'got 0'),
    ({'batch_size': 64.0}, TypeError, 'batch_size must be an integer, '
                                      'got float 64.0'),
    ({'batch_size': 4, 'train': pd.DataFrame()}, ValueError,
     'both train and val'),
])
def test_kaggle_house_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        d2l.KaggleHouse(**kwargs)


@pytest.mark.parametrize('batch_size', [np.int64(3), torch.tensor(3)])
def test_kaggle_house_accepts_any_integer_batch_size(batch_size):
    frame = pd.DataFrame({'f': [1.0, 2.0, 3.0, 4.0],
                          'SalePrice': [10, 20, 30, 40]})
    data = d2l.KaggleHouse(batch_size, frame, frame.iloc[:0])
    assert type(data.batch_size) is int and data.batch_size == 3
    X, y = next(iter(data.get_dataloader(train=True)))
    assert X.shape == (3, 1) and y.shape == (3, 1)


def numbered_frame(n):
    frame = pd.DataFrame({'f': np.arange(n, dtype=float),
                          'SalePrice': np.arange(1, n + 1) * 1000})
    return d2l.KaggleHouse(batch_size=2, train=frame, val=frame.iloc[:0])


def test_k_fold_data_slices_contiguous_folds():
    folds = d2l.k_fold_data(numbered_frame(10), 3)    # fold size 3
    assert [fold.val['f'].tolist() for fold in folds] == [
        [0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert all(9.0 in fold.train['f'].tolist() for fold in folds)


def test_k_fold_data_shapes():
    folds = d2l.k_fold_data(numbered_frame(10), 5)
    assert len(folds) == 5
    assert {(len(f.train), len(f.val)) for f in folds} == {(8, 2)}
    X, y = next(iter(folds[0].val_dataloader()))
    assert X.shape == (2, 1) and y.shape == (2, 1)


@pytest.mark.parametrize('k, error, message', [
    (1, ValueError, 'k must be an integer >= 2, got 1'),
    (11, ValueError, 'k must be an integer <= 10, got 11'),
    (2.0, TypeError, 'k must be an integer, got float 2.0'),
    (True, TypeError, 'k must be an integer, got bool True'),
])
def test_k_fold_data_rejects_bad_k(k, error, message):
    with pytest.raises(error, match=message):
        d2l.k_fold_data(numbered_frame(10), k)


@pytest.mark.parametrize('k', [np.int64(5), np.int32(5), torch.tensor(5)])
def test_k_fold_data_accepts_any_integer_k(k):
    folds = d2l.k_fold_data(numbered_frame(10), k)
    assert [fold.val['f'].tolist() for fold in folds] == [
        [0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]
