package dev.mediasync.device;

/** The kind of device, as a device declares it in {@code device_register}. */
public enum Platform {
    TV, PHONE, TABLET, WEB, DESKTOP, CONSOLE, OTHER
}
