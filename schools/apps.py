from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"

    def ready(self):
        from accounts import pickers
        from schools import nations

        pickers.role_label_at.provide(nations.role_label)  # J8: role labels in the school's nation's words
        pickers.nation_words.provide(nations.for_nation)  # J8: the invitation email's words
