import numpy as np
import pytest
import torch
from torch.utils.data import TensorDataset

from kerastorch.trainers.data_adapters import get_data_adapter
from kerastorch.trainers.data_adapters.sharding import ShardedAdapter, piece


def _ids(adapter):
    return [b[0][:, 0].long().tolist() for b in adapter.batches()]


def test_pieces_split_like_tensor_split():
    for n in (1, 5, 8):
        sizes = [piece(n, r, 3)[1] for r in range(3)]
        assert sizes == [len(p) for p in torch.arange(n).tensor_split(3)]


@pytest.mark.parametrize("shuffle", [False, True, "batch"])
def test_array_shards_are_disjoint_cover_and_agree_on_the_shuffle(shuffle):
    x = np.arange(11, dtype="float32")[:, None]
    shards = [
        ShardedAdapter(get_data_adapter(x, None, None, 4, shuffle), r, 2, seed=3) for r in (0, 1)
    ]
    seen = [_ids(s) for s in shards]
    assert sorted(i for s in seen for b in s for i in b) == list(range(11))
    assert shards[0].global_sizes == shards[1].global_sizes
    assert sorted(shards[0].global_sizes) == [3, 4, 4]
    if shuffle is False:
        assert seen == [[[0, 1], [4, 5], [8, 9]], [[2, 3], [6, 7], [10]]]


def test_training_drops_a_last_batch_smaller_than_the_world():
    x = np.arange(9, dtype="float32")[:, None]
    with pytest.warns(UserWarning, match="smaller than the number of processes"):
        shard = ShardedAdapter(get_data_adapter(x, None, None, 4, False), 0, 2, 0, training=True)
    assert shard.num_batches == 2
    assert _ids(shard) == [[0, 1], [4, 5]]


def test_datasets_and_generators_are_split_batch_by_batch():
    data = TensorDataset(torch.arange(6.0)[:, None])
    shard = ShardedAdapter(get_data_adapter(data, batch_size=4, shuffle=False), 1, 2, 0)
    assert _ids(shard) == [[2, 3], [5]]
    assert shard.step_weight == 0.5
    batches = (np.full((3, 1), i, "float32") for i in range(2))
    shard = ShardedAdapter(get_data_adapter(batches), 0, 2, 0)
    assert [len(b) for b in _ids(shard)] == [2, 2]
    assert shard.step_weight == 2 / 3


def test_a_distributed_sampler_is_already_sharded_and_told_the_epoch():
    from torch.utils.data import DataLoader, DistributedSampler

    data = TensorDataset(torch.arange(8.0)[:, None])
    sampler = DistributedSampler(data, num_replicas=2, rank=1, shuffle=False)
    loader = DataLoader(data, batch_size=2, sampler=sampler)
    shard = ShardedAdapter(get_data_adapter(loader), 1, 2, 0, training=True)
    assert _ids(shard) == [[1, 3], [5, 7]]
    shard.on_epoch_end()
    assert sampler.epoch == 1
