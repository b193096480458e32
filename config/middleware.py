"""Request middleware that must run before the rest of the site sees a request."""

from django.conf import settings

from .http import refusal


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than settings.MAX_REQUEST_BYTES, from its
    Content-Length, before anything (the CSRF check, a form, an upload) reads the body.

    A body without a Content-Length (chunked) is refused with 411: Django would read
    none of it and the view would see an empty form. No browser sends one; nginx in
    front (`make serve`) measures and limits such a body itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads no body it cannot measure
        if declared > settings.MAX_REQUEST_BYTES:
            megabytes = settings.MAX_REQUEST_BYTES / (1024 * 1024)
            message = (
                f"This request is too large: the limit is {megabytes:g} MB, so nothing was "
                "saved. Make the file or text smaller and try again."
            )
            return refusal(request, 413, message, heading="Request too large")
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and "CONTENT_LENGTH" not in request.META:
            message = "This request did not say how large it is, so nothing was saved."
            return refusal(request, 411, message, heading="Request not understood")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Turn off browser features no page uses (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
