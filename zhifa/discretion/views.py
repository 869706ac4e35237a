from typing import Any


def workspace_panel(account: Any, case: Any, next_actions: Any) -> None:
    return None
