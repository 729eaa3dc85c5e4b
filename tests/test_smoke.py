import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_page_answers_in_german(client):
    response = client.get(reverse("ideas:home"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert 'lang="de"' in response.content.decode()
