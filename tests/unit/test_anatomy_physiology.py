"""One physiology per tissue class across atlases (issue 10 item 2)."""

import pytest

from dbssim.patient.anatomy import GREY_MATTER, MYELINATED_FIBRE, Atlas, load_atlas

ATLASES = ("gpi", "stn", "vim")


def test_internal_capsule_is_the_same_tissue_in_every_atlas():
    capsule = {
        (a, t.id): (t.threshold_v_per_mm2, t.chronaxie_us)
        for a in ATLASES
        for t in load_atlas(a).tracts
        if t.id.startswith("ic_")
    }
    assert len(capsule) >= 6
    assert set(capsule.values()) == {(MYELINATED_FIBRE.threshold, MYELINATED_FIBRE.chronaxie_us)}


@pytest.mark.parametrize("atlas_id", ATLASES)
def test_every_structure_uses_its_tissue_class(atlas_id):
    atlas = load_atlas(atlas_id)
    for r in atlas.regions:
        assert (r.threshold_v_per_mm, r.chronaxie_us) == (
            GREY_MATTER.threshold,
            GREY_MATTER.chronaxie_us,
        ), r.id
    for t in atlas.tracts:
        assert (t.threshold_v_per_mm2, t.chronaxie_us) == (
            MYELINATED_FIBRE.threshold,
            MYELINATED_FIBRE.chronaxie_us,
        ), t.id


def test_an_atlas_cannot_give_one_structure_its_own_chronaxie():
    data = load_atlas("gpi").model_dump(mode="json")
    data["tracts"][0]["chronaxie_us"] = 64
    with pytest.raises(ValueError, match="chronaxie_us"):
        Atlas.model_validate(data)
