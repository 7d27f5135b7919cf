from .selectors import unread_count


def inbox(request):
    """`inbox_unread` for the header bell: one COUNT query per page, lazily (only if rendered)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cache = {}

    def count():
        if "n" not in cache:
            cache["n"] = unread_count(user=user)
        return cache["n"]

    return {"inbox_unread": count}
