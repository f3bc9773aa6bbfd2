from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from areas.selectors import dashboard_for


@login_required
def dashboard(request):
    """After log-in: my organisations and roles, my areas, and what I can do there."""
    return render(request, "areas/dashboard.html", {"dashboard": dashboard_for(user=request.user)})
