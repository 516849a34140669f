"""Reference data of the regions module: divisions, groups, population."""

import os
from pathlib import Path

from . import services


def shared_data_dir() -> Path | None:
    """The folder of public data files beside the project (``IPOFFICE_SHARED_DATA`` or ../shared/data)."""
    configured = os.environ.get("IPOFFICE_SHARED_DATA")
    path = Path(configured) if configured else Path(__file__).resolve().parents[2].parent / "shared" / "data"
    return path if path.is_dir() else None


def load_reference_data(write) -> None:
    write(f"divisions (cpca): {services.load_divisions()}")
    shared = shared_data_dir()
    if shared and (shared / "regions" / "guangdong_counties.csv").exists():
        # Districts created after cpca's list (e.g. 深圳市龙华区, 坪山区, 光明区), from the NBS 2023 list.
        write(f"divisions (NBS 2023): {services.apply_division_list(shared / 'regions' / 'guangdong_counties.csv')}")
    write(f"region groups: {services.load_region_groups()}")
    write(f"population (shipped): {services.load_reference_population()}")
    if shared and (shared / "stats" / "gba_city_population_2016_2020_10k.csv").exists():
        path = shared / "stats" / "gba_city_population_2016_2020_10k.csv"
        write(f"population (GBA 2016-2020): {services.import_population(path, skip_outside=True)}")
