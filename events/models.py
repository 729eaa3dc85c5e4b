# Events and the process timeline arrive with their own issue.
