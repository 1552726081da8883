"""COMM-8: staff import the national do-not-call list (a CSV of numbers), streamed and normalised to
E.164; bad lines are reported by their number, the good ones imported; the list replaces the previous
one. By a management command or the staff upload page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.communication.donotcall import fast_normaliser, import_do_not_call, is_on_do_not_call
from guichet.communication.models import DoNotCallImport, DoNotCallNumber
from guichet.communication.services import normalise_phone

pytestmark = [pytest.mark.django_db, pytest.mark.rule("COMM-8")]

FILE = b"""number
0470 12 34 56
+32 2 511 22 33
0032470123456
not a number
12
\xff\xfe
+33 6 12 34 56 78
"""


def numbers():
    return set(DoNotCallNumber.objects.values_list("number", flat=True))


def test_it_imports_the_good_lines_and_reports_the_bad_ones_by_number(db):
    report = import_do_not_call(io.BytesIO(FILE), file_name="national.csv")
    assert numbers() == {"+32470123456", "+3225112233", "+33612345678"}
    assert (report.lines, report.imported, report.rejected) == (8, 3, 3)
    assert [line for line, _reason in report.problems] == [5, 6, 7]
    assert "not a valid phone number: not a number" in report.problems[0][1]
    assert DoNotCallImport.objects.get().imported == 3
    assert is_on_do_not_call("0470/12.34.56") and not is_on_do_not_call("0470 99 99 99")


def test_a_new_list_replaces_the_previous_one(db):
    import_do_not_call([b"0470123456\n"])
    import_do_not_call(["0471 00 00 00", "0472 00 00 00"])
    assert numbers() == {"+32471000000", "+32472000000"}


def test_a_file_without_any_good_number_keeps_the_list_in_force(db):
    import_do_not_call(["0470123456"])
    report = import_do_not_call(["number", "garbage", "", "more garbage"])
    assert numbers() == {"+32470123456"}
    assert (report.imported, report.rejected) == (0, 2)


def test_the_management_command_streams_a_file(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(b"".join(f"04{70 + i % 20}{i:06d}\n".encode() for i in range(25_000)) + b"oops\n")
    out = io.StringIO()
    call_command("import_do_not_call", str(path), stdout=out)
    assert DoNotCallNumber.objects.count() == 25_000
    assert "25001 lines, 25000 numbers imported, 1 lines rejected" in out.getvalue()
    assert "line 25001:" in out.getvalue()


def test_staff_upload_the_list_and_see_the_report(staff_client):
    upload = SimpleUploadedFile("national.csv", FILE, content_type="text/csv")
    response = staff_client.post(reverse("communication:do-not-call"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "8 lines read, 3 numbers imported, 3 lines rejected." in page and "Line 5:" in page
    assert len(numbers()) == 3


def test_an_upload_without_a_file_changes_nothing(staff_client):
    import_do_not_call(["0470123456"])
    response = staff_client.post(reverse("communication:do-not-call"), {})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert numbers() == {"+32470123456"}


@given(st.one_of(
    st.from_regex(r"\A(\+32|0032|0)[ ./-]?[1-9][0-9 ./-]{6,11}\Z"),
    st.from_regex(r"\A(\+|00)[1-9][0-9 ]{6,14}\Z"),
    st.text(max_size=20),
))
@settings(max_examples=400, deadline=None)
def test_the_fast_normaliser_agrees_with_phonenumbers(text):
    assert fast_normaliser("BE")(text) == normalise_phone(text, "BE")
