"""Start-up checks across the two data files: every national service cases/agencies.toml names is in
advice/resources.toml (I7). Advice checks it, as advice keeps the directory and cases never imports advice."""

from advice import checks, resources


def test_r_i7_an_agency_naming_a_resource_the_directory_lacks_stops_the_start(monkeypatch):
    assert checks.agencies_name_known_resources(None) == []
    monkeypatch.setattr(resources, "all_resources", lambda: [])
    [error] = checks.agencies_name_known_resources(None)
    assert error.id == "cases.E001" and "agencies.toml names resources that advice/resources.toml lacks" in error.msg
