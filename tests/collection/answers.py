"""Answers a real accountant would give, shared by the collection tests."""

CREDIT_CODE = "91110000600037341L"  # a real check character (GB 32100)

# An employed accountant in Chongqing's 渝中区, in an accounting post since 2014.
CHONGQING_EMPLOYED_WORK = {
    "employment": "employed",
    "unit_name": "重庆某某有限公司",
    "unit_credit_code": CREDIT_CODE,
    "unit_region": "500103",
    "unit_address": "解放碑1号",
    "unit_type": "110",
    "unit_phone": "02320000000",
    "hire_date": "2015-07-01",
    "accounting_post": "02",
    "accounting_start_date": "2014-07-01",
    "accounting_years": 10,
    "technical_post": "00",
    "cpa": False,
    "tax_agent": False,
    "appraiser": False,
}


def most_materials(province: str) -> dict:  # type: ignore[type-arg]
    """Sections (only the answers the material rules read) under which the province asks for the
    most materials: employed, both educations with degrees, one of each list record."""
    from accreg.provinces.loader import all_profiles

    employed = next(s.code for s in all_profiles()[province].employment_statuses if s.kind == "employed")
    return {
        "work": {"employment": employed},
        "education": {"full_time": {"level": "21", "degree": "4"}, "part_time": {"level": "21", "degree": "4"}},
        "qualifications": [{}],
        "credit_kept": [{}],
        "credit_broken": [{}],
        "papers": [{}],
    }
