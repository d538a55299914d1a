from django.contrib import admin

from socialaftale.admin_site import SocialaftaleAdminSite


def test_the_admin_site_is_ours():
    assert isinstance(admin.site._wrapped if hasattr(admin.site, "_wrapped") else admin.site,
                      SocialaftaleAdminSite)


def test_admin_lists_show_years_without_thousand_separators(client, reference_data, make_user):
    client.force_login(make_user("sekretariat"))
    response = client.get("/admin/socialaftale/styringsparametre/")
    page = response.content.decode()
    assert "Nordjysk Socialaftale – sekretariatet" in page
    assert "2027" in page and "2.027" not in page
    # sorting by the rewritten column still works
    assert client.get("/admin/socialaftale/styringsparametre/?o=1").status_code == 200
