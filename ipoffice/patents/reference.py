"""Reference data of the patent registry: legal-event codes and, when the file is there, the IPC titles."""

from ipoffice.regions.reference import shared_data_dir

from .classification import load_ipc, load_legal_event_codes


def load_reference_data(write) -> None:
    shared = shared_data_dir()
    if shared is None:
        write("no shared data folder: load IPC titles with `ipoffice patents import-ipc FILE`")
        return
    codes = shared / "legal_status" / "epo_inpadoc_legal_event_codes_CN.csv"
    if codes.exists():
        write(f"CN legal-event codes: {load_legal_event_codes(codes)}")
    ipc = shared / "classification" / "ipc_2026_01_zh.csv.gz"
    if ipc.exists():
        write(f"IPC 2026.01 with Chinese titles: {load_ipc(ipc)}")
