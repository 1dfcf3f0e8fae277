"""HTTP routes of the notification service: inbox, preferences and contacts, webhooks."""
