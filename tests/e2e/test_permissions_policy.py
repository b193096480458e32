"""The Permissions-Policy header names only features Chromium knows."""


def test_chromium_knows_every_feature_the_policy_names(new_page):
    # Chromium logs an error for each feature it does not know ("Unrecognized feature").
    page = new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))

    response = page.goto("/accounts/login/")
    page.wait_for_load_state("load")

    assert "camera=()" in response.headers["permissions-policy"]
    assert [line for line in console if "Permissions-Policy" in line] == []
