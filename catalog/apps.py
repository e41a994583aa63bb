from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from devices.services import register_device_eraser

        from .services import device_viewing_ips, device_viewings_erase

        # Removing a device erases its IPs and locations from viewings too.
        register_device_eraser(device_viewings_erase, ips=device_viewing_ips)
