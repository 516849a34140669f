from .roles import ensure_roles


def load_reference_data(write) -> None:
    write(f"roles: {ensure_roles()}")
