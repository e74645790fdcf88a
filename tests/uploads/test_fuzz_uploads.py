"""Issue 13: 2,000 malformed files and the bombs through the real upload service. Each one is
either stored, with nothing but pixels in it, or refused with `image_refused` and a reason in
Chinese; none is a server error. The corpus comes from a fixed seed (tests/uploads/corpus.py)."""

import re
from collections import Counter
from itertools import chain

import pytest

from accreg.accounts.people import person_by_id_number
from accreg.errors import DomainError
from accreg.uploads.services import upload_material
from tests.conftest import valid_id_number
from tests.uploads.corpus import PAYLOAD, bombs, fuzz_corpus
from tests.uploads.stored import metadata_in

pytestmark = pytest.mark.django_db

SEED = 13
CHINESE = re.compile(r"[\u4e00-\u9fff]{4,}")


def test_every_malformed_upload_is_stored_clean_or_refused_with_a_reason(register):
    registered = register(province="yunnan", id_number=valid_id_number(region="530102"))
    person = person_by_id_number(registered["id_number"])
    assert person is not None
    # Yunnan's 1-inch photo (at most 20 KB, cropped) and an ID card side (a document).
    kinds = ("photo", "id_front")
    outcomes: Counter[str] = Counter()
    errors, dirty, unexplained = [], [], []

    for n, (name, data) in enumerate(chain(bombs().items(), fuzz_corpus(SEED, 2000))):
        try:
            material = upload_material(person, kinds[n % 2], item=0, data=data)
        except DomainError as refused:
            outcomes["refused"] += 1
            if refused.code != "image_refused" or not CHINESE.search(refused.message):
                unexplained.append((name, refused.code, refused.message))
        except Exception as exc:  # a server error: the point of this test is that there are none
            errors.append((name, repr(exc)))
        else:
            outcomes["stored"] += 1
            with material.file.open("rb") as stored:
                content = stored.read()
            if metadata_in(content) or PAYLOAD in content:
                dirty.append((name, metadata_in(content)))

    assert errors == []
    assert unexplained == []
    assert dirty == []
    assert outcomes["stored"] > 300 and outcomes["refused"] > 300, outcomes
