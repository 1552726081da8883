"""COMM-11: the contact page says requests about a member's file are not handled through social media;
COMM-8 and COMM-6: it says where to complain about a commercial call and where non-members state their choice."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.rule("COMM-11")
def test_it_says_file_questions_are_not_handled_through_social_media(client):
    page = client.get(reverse("pages:contact")).content.decode()
    assert "We do not handle questions about your file through social media." in page


@pytest.mark.rule("COMM-8", "COMM-6")
def test_it_says_where_to_complain_about_a_commercial_call_and_where_to_state_a_choice(client):
    page = client.get(reverse("pages:contact")).content.decode()
    assert "Complain through our contact form" in page and reverse("privacy:contact-dpo") in page
    assert reverse("communication:choice") in page
