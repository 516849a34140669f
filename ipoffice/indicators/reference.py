"""Reference data of the indicators module: the plans and the official figures shipped with them."""

from .observations import import_observations, load_reference_observations
from .plans import load_all_plans


def load_reference_data(write) -> None:
    plans = load_all_plans()
    write(f"plans: {', '.join(p.code for p in plans)}")
    write(f"official observations (shipped): {load_reference_observations()}")
    from ipoffice.regions.reference import shared_data_dir

    shared = shared_data_dir()
    pct = shared / "stats" / "cnipa_2023yearbook_t6-4_pct_applications_by_region.csv" if shared else None
    if pct and pct.exists():
        result = import_observations(pct, skip_unknown_regions=True)  # 合计, 国内小计, 国外小计 are not regions
        write(f"PCT applications by province (CNIPA yearbook 2023): {result}")
