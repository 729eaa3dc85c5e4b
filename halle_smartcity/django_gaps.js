// Texts of Django's admin scripts (6.1) that Django's own German catalogue does not translate
// yet. Never loaded: `makemessages -d djangojs` copies these message ids into the project's
// catalogue (locale/<language>/LC_MESSAGES/djangojs.po), which the admin's JavaScript
// catalogue (jsi18n) merges over Django's own. See django_gaps.py for the server's texts.
gettext('Choose %s by selecting them and then select the "Choose" arrow button.');
gettext("Choose all %s");
gettext("Choose selected %s");
gettext("Remove selected %s");
gettext('Remove %s by selecting them and then select the "Remove" arrow button.');
gettext("(click to clear)");
gettext("Remove all %s");
gettext(
    "You have selected an action, and you haven’t made any changes on individual fields. " +
        "You’re probably looking for the Run button rather than the Save button.",
);
gettext("server");
ngettext(
    "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour ahead.)",
    "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hours ahead.)",
    1,
);
ngettext(
    "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour behind.)",
    "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hours behind.)",
    1,
);
gettext("Today (%(date)s)");
gettext("Yesterday (%(date)s)");
gettext("Tomorrow (%(date)s)");
gettext("Previous (%(month)s %(year)s)");
gettext("Next (%(month)s %(year)s)");
gettext("%(month)s %(day)s, %(year)s");
gettext("%s (today, current selection)");
gettext("%s (today)");
gettext("%s (current selection)");
