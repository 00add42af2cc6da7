"""The OEM hotline's work order, as it arrives by e-mail: labelled lines, then
the customer's words.  No Odoo import: plain pytest exercises it.

The format (README, "OEM hotline work orders by e-mail")::

    OEM reference: HL-2026-118842        工单号：HL-2026-118842
    Received: 2026-11-29 09:12           受理时间：2026-11-29 09:12
    Customer: Wang Wei                   客户：王伟
    Phone: +86 138 0000 1001             电话：+86 138 0000 1001
    VIN: LSVAM4101C2184701               车架号：LSVAM4101C2184701
    Plate: 京A·10137                     车牌：京A·10137
    Complaint: ...                       投诉内容：...

A label is matched without case, with an ASCII or a full-width colon, and
with the spellings of LABELS.  Lines that carry no known label are the
customer's words (so is the text after "Complaint:" / "投诉内容:").  The
received time is the OEM's, in the dealership's time zone; dates may use
"-", "/" or "." and Chinese "年月日".
"""

import re
from datetime import datetime

# Field -> the labels the OEMs use (compared in lower case, spaces removed).
LABELS = {
    "oem_ref": (
        "oemreference",
        "oemref",
        "oemref.",
        "workorder",
        "workorderno",
        "workorderno.",
        "workordernumber",
        "reference",
        "工单号",
        "工单编号",
        "主机厂工单号",
    ),
    "received": ("received", "receivedat", "receiptdate", "receipttime", "受理时间", "来电时间"),
    "customer": ("customer", "customername", "name", "客户", "客户姓名", "姓名"),
    "phone": ("phone", "mobile", "tel", "telephone", "contact", "电话", "联系电话", "手机"),
    "vin": ("vin", "chassisno", "chassisno.", "车架号", "车辆识别代号", "vin码"),
    "plate": ("plate", "licenseplate", "车牌", "车牌号"),
    "description": ("complaint", "description", "details", "投诉内容", "客户诉求", "问题描述"),
}
_LABEL_TO_FIELD = {label: field for field, labels in LABELS.items() for label in labels}
_LINE = re.compile(r"^\s*([^:：]{1,40}?)\s*[:：]\s*(.*)$")
_DATETIME = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?"
    r"(?:[\sT]+(\d{1,2})\s*[:：时]\s*(\d{2})(?:\s*[:：分]\s*(\d{2}))?)?"
)
_PHONE_DIGITS = re.compile(r"\d")

# The fields without which a work order cannot be matched to a vehicle or a
# customer: with neither, the complaint is flagged to complete.
IDENTIFYING = ("vin", "phone")


def parse_received(text):
    """The OEM's receipt time as a naive datetime in the dealership's time
    zone, or None when the text holds no date."""
    match = _DATETIME.search(text or "")
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def phone_digits(phone):
    """The digits of a phone number, without the country code 86 of a
    Chinese mobile written in full: how two spellings are compared."""
    digits = "".join(_PHONE_DIGITS.findall(phone or ""))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def parse(text):
    """The work order in ``text`` (plain text of the mail's body).

    Returns a dict with the keys of LABELS that were found (strings, the
    received time as parsed by parse_received under "received_at"), the
    customer's words under "description", and "missing": the identifying
    fields (IDENTIFYING) it lacks."""
    values = {}
    words = []
    in_description = False
    for raw in (text or "").splitlines():
        line = raw.strip()
        match = _LINE.match(line)
        field = None
        if match:
            label = re.sub(r"\s+", "", match.group(1)).lower()
            field = _LABEL_TO_FIELD.get(label)
        if field and field != "description" and not values.get(field):
            values[field] = match.group(2).strip()
            in_description = False
        elif field == "description":
            in_description = True
            if match.group(2).strip():
                words.append(match.group(2).strip())
        elif line or in_description:
            words.append(line)
    if values.get("vin"):
        values["vin"] = re.sub(r"\s", "", values["vin"]).upper()
    if "received" in values:
        values["received_at"] = parse_received(values["received"])
    values["description"] = "\n".join(words).strip()
    values["missing"] = [field for field in IDENTIFYING if not values.get(field)]
    return values
