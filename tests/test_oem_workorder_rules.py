"""The OEM hotline work order's parser, without Odoo."""

from datetime import datetime

import pytest
from conftest import load_pure

oem = load_pure("complaint_service", "oem_workorder")

ENGLISH = """OEM reference: HL-2026-118842
Received: 2026-11-29 09:12
Customer: Wang Wei
Phone: +86 138 0000 1001
VIN: lsvam4101c2184701

The customer says the air conditioning blows warm air
since the repair last week.
"""

CHINESE = """工单号：HL-2026-200001
受理时间：2026年11月29日 08:05
客户：王伟
电话：13800001001
车架号：LSVAM4101C2184701
车牌：京A·10137
投诉内容：空调不制冷，
维修后一周又出现。
"""


def test_english_labels():
    values = oem.parse(ENGLISH)
    assert values["oem_ref"] == "HL-2026-118842"
    assert values["received_at"] == datetime(2026, 11, 29, 9, 12)
    assert values["customer"] == "Wang Wei"
    assert values["phone"] == "+86 138 0000 1001"
    assert values["vin"] == "LSVAM4101C2184701", "in capitals"
    assert values["description"].startswith("The customer says the air conditioning")
    assert "since the repair last week." in values["description"]
    assert values["missing"] == []


def test_chinese_labels_and_full_width_colons():
    values = oem.parse(CHINESE)
    assert values["oem_ref"] == "HL-2026-200001"
    assert values["received_at"] == datetime(2026, 11, 29, 8, 5)
    assert values["customer"] == "王伟"
    assert values["plate"] == "京A·10137"
    assert values["description"] == "空调不制冷，\n维修后一周又出现。"


def test_unknown_format_keeps_every_word_and_says_what_is_missing():
    values = oem.parse("Hello,\nplease call the customer back, he is angry.\nThanks")
    assert values["missing"] == ["vin", "phone"]
    assert "he is angry" in values["description"]
    assert "oem_ref" not in values


def test_a_label_without_a_known_name_is_part_of_the_words():
    values = oem.parse("Note: the customer is a VIP\nVIN: LSVAM4101C2184701")
    assert values["description"] == "Note: the customer is a VIP"
    assert values["missing"] == ["phone"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-29 09:12", datetime(2026, 11, 29, 9, 12)),
        ("2026/11/29 9:12:30", datetime(2026, 11, 29, 9, 12, 30)),
        ("2026.11.29", datetime(2026, 11, 29)),
        ("2026年11月29日 9时12分", datetime(2026, 11, 29, 9, 12)),
        ("29 November", None),
        ("2026-13-40 09:12", None),
        ("", None),
    ],
)
def test_received_time(text, expected):
    assert oem.parse_received(text) == expected


@pytest.mark.parametrize(
    ("phone", "digits"),
    [
        ("+86 138 0000 1001", "13800001001"),
        ("138-0000-1001", "13800001001"),
        ("(010) 6500 1234", "01065001234"),
        ("", ""),
    ],
)
def test_phone_digits(phone, digits):
    assert oem.phone_digits(phone) == digits
