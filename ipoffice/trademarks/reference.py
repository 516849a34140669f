"""Reference data of the trademark register: the 类似商品和服务区分表 editions found in the shared data folder
(``classification/cn_nice_similar_groups_ncl*.jsonl[.gz]``); others load with
``ipoffice trademarks import-classification FILE``."""

from ipoffice.regions.reference import shared_data_dir

from .classification import load_classification


def load_reference_data(write) -> None:
    shared = shared_data_dir()
    files = sorted(shared.glob("classification/cn_nice_similar_groups_ncl*.jsonl*")) if shared else []
    if not files:
        write("no 区分表 in the shared data folder: load one with `ipoffice trademarks import-classification FILE`")
        return
    for path in files:
        result = load_classification(path)
        state = "unchanged" if result["unchanged"] else "loaded"
        write(f"区分表 {result['edition']} {state}: {result['classes']} classes, {result['groups']} groups, "
              f"{result['items']} items, {result['cross_links']} cross-group links")
