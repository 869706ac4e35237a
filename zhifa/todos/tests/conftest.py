from zhifa.cases.tests.conftest import evidence_dir, world

__all__ = ["evidence_dir", "world"]
