"""Rank look-up: codes, full names and roster spellings resolve to one canonical rank."""

from siaga.domain.ranks import default_can_lead, find_rank


def test_codes_names_and_roster_spellings_resolve():
    """'Bripka', 'brigadir polisi kepala', and the roster spelling 'Brigadir' all find a Polri rank."""
    assert find_rank("polri", "Bripka").code == "Bripka"
    assert find_rank("polri", " brigadir polisi kepala ").code == "Bripka"
    assert find_rank("polri", "Brigadir").code == "Brigpol"
    assert find_rank("tni", "Brigjen").code == "Brigjen TNI"
    assert find_rank("polri", "Serda") is None  # a TNI rank is not a Polri rank


def test_can_lead_default_follows_rank_order():
    """From Brigpol up a Polri member may command a post; a Bripda may not."""
    assert default_can_lead("polri", find_rank("polri", "Brigpol"))
    assert not default_can_lead("polri", find_rank("polri", "Bripda"))
