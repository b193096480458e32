def wants_json(request):
    """The background save asks for JSON; every other request gets a page."""
    return "application/json" in request.headers.get("Accept", "")
