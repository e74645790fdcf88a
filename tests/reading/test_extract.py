"""The facts found in the lines OCR reads off an ID card or a certificate (plain strings)."""

from accreg.reading.extract import better, read_certificate, read_id_back, read_id_front

NUMBER = "410102199108166674"  # a valid check digit
NUMBER_X = "11010119900307002X"


def test_the_name_is_the_line_after_its_label_and_the_number_is_read_as_printed():
    facts = read_id_front(["姓名", "郭涛桂", "性别", "男", "民族汉", "公民身份号码", NUMBER])

    assert (facts["name"], facts["id_number"]) == ("郭涛桂", NUMBER)
    assert facts["lines"][:2] == ["姓名", "郭涛桂"]


def test_a_name_on_the_label_line_keeps_its_middle_dot_and_drops_the_spaces():
    assert read_id_front(["姓 名  买买提·艾力", f"公民身份号码 {NUMBER}"])["name"] == "买买提·艾力"


def test_a_label_alone_with_no_name_after_it_gives_no_name():
    assert read_id_front(["姓名", "性别 男", NUMBER])["name"] == ""


def test_letters_ocr_takes_for_digits_are_corrected_when_the_check_digit_then_passes():
    assert read_id_front(["公民身份号码", "41O1021991O8166674"])["id_number"] == NUMBER
    assert read_id_front(["公民身份号码", "l10101l99003O7002x"])["id_number"] == NUMBER_X
    assert read_id_front(["公民身份号码４１０１０２１９９１０８１６６６７４"])["id_number"] == NUMBER  # full width


def test_a_number_split_over_two_boxes_is_joined():
    assert read_id_front(["公民身份号码", "410102199", "108166674"])["id_number"] == NUMBER


def test_a_number_failing_its_check_digit_is_kept_as_read():
    assert read_id_front(["公民身份号码", "410102199108166675"])["id_number"] == "410102199108166675"


def test_no_number_on_the_card_gives_an_empty_number():
    assert read_id_front(["姓名 张伟", "出生 1990年3月7日"])["id_number"] == ""


def test_the_validity_is_read_as_iso_dates():
    facts = read_id_back(["中华人民共和国", "居民身份证", "有效期限", "2015.03.01-2035.03.01"])

    assert (facts["valid_from"], facts["valid_until"]) == ("2015-03-01", "2035-03-01")


def test_a_long_term_card_and_dashes_ocr_reads_as_other_characters():
    assert read_id_back(["有效期限 2020.06.30-长期"])["valid_until"] == "长期"
    assert read_id_back(["有效期限2015．03．01一2035．03．01"])["valid_until"] == "2035-03-01"
    assert read_id_back(["有效期限", "20150301-20350301"])["valid_from"] == "2015-03-01"
    assert read_id_back(["有效期限2016.04.20-·长期"])["valid_until"] == "长期"


def test_an_unreadable_validity_leaves_both_dates_empty():
    facts = read_id_back(["有效期限", "2015.13.01-2035.03"])

    assert (facts["valid_from"], facts["valid_until"]) == ("", "")


def test_every_run_of_six_letters_and_digits_on_a_certificate_is_a_number():
    facts = read_certificate(["毕业证书", "证书编号：104591201005001234", "管理号 Z4101 0012345", "2010年"])

    assert "104591201005001234" in facts["numbers"]
    assert "Z41010012345" in facts["numbers"]
    assert all(len(number) >= 6 for number in facts["numbers"])


def test_a_mostly_digit_number_is_given_also_with_look_alike_letters_as_digits():
    assert "104591201005001234" in read_certificate(["证书编号:1O4591201005001234"])["numbers"]


def test_a_second_look_fills_in_what_the_first_missed_and_keeps_a_valid_number():
    first = read_id_front(["姓名", "性别 女", "公民身份号码 410102199108166674"])
    second = read_id_front(["姓名 郭涛桂", "公民身份号码 410102199108166675"])

    assert better("id_front", first, second) == {"name": "郭涛桂", "id_number": NUMBER, "lines": second["lines"]}


def test_a_number_from_a_county_python_stdnum_does_not_list_is_read_and_corrected():
    assert read_id_front(["公民身份号码", "5001O3198808093027"])["id_number"] == "500103198808093027"
