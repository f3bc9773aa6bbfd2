from areas.access import attach_session, second_factor_redirect


class SessionPrivilegesMiddleware:
    """The request's user carries its session, so every rule of `areas.access` can ask whether the
    session passed the second factor before granting more than plain membership."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        attach_session(request)
        return self.get_response(request)


class AdminRequiresMFAMiddleware:
    """The Wagtail admin opens for coordinators, network admins and superusers only in a session that
    passed the second factor (the rule is `areas.access.second_factor_redirect`)."""

    admin_prefix = "/admin/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.admin_prefix) and request.user.is_authenticated:
            response = second_factor_redirect(request)
            if response is not None:
                return response
        return self.get_response(request)
