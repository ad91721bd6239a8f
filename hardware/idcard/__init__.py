"""二代身份证阅读器 (2nd-generation ID card readers): SAM serial protocol, vendor SDKs, emulator."""
