"""Figures that test families print at the end of a run (issue 8): `report("crash", "...")`."""

FIGURES: list[tuple[str, str]] = []


def report(family: str, text: str) -> None:
    FIGURES.append((family, text))
