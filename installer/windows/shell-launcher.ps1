# HPF Terminal lobby kiosk on Windows: hpf-kiosk.exe replaces Explorer as the shell of one local
# account (Shell Launcher, part of Assigned Access), restarted whenever it exits; administrators keep
# Explorer. Needs Windows Enterprise, Education or IoT Enterprise (Shell Launcher is not in Pro).
# Run as administrator after copying dist\hpf-terminal to $InstallDir. NOT tested on real Windows
# by this project yet: try it on a spare terminal first.
#
#   powershell -ExecutionPolicy Bypass -File shell-launcher.ps1 -KioskUser hpf-kiosk
param(
    [Parameter(Mandatory = $true)][string]$KioskUser,
    [string]$InstallDir = "C:\Program Files\hpf-terminal",
    [string]$Config = "C:\ProgramData\hpf-terminal\terminal.toml"
)
$ErrorActionPreference = "Stop"

$exe = Join-Path $InstallDir "hpf-kiosk.exe"
if (-not (Test-Path $exe)) { throw "no $exe: copy the packaged programs (dist\hpf-terminal) there first" }

# The optional feature; Windows asks for a restart the first time.
$feature = Get-WindowsOptionalFeature -Online -FeatureName Client-EmbeddedShellLauncher
if ($feature.State -ne "Enabled") {
    Enable-WindowsOptionalFeature -Online -FeatureName Client-EmbeddedShellLauncher -NoRestart | Out-Null
    Write-Host "Shell Launcher enabled; restart Windows, then run this script again."
    exit 0
}

$sid = (New-Object System.Security.Principal.NTAccount($KioskUser)).Translate(
    [System.Security.Principal.SecurityIdentifier]).Value
$admins = "S-1-5-32-544"  # BUILTIN\Administrators
$restartShell = 0         # what Shell Launcher does when the shell exits: 0 restart it, 1 reboot, 2 shut down

$shell = [wmiclass]"\\localhost\root\standardcimv2\embedded:WESL_UserSetting"
$shell.SetEnabled($true) | Out-Null
# Remove-then-set keeps a second run idempotent.
$shell.RemoveCustomShell($sid) | Out-Null
$shell.SetCustomShell($sid, "`"$exe`" --config `"$Config`"", $null, $null, $restartShell) | Out-Null
$shell.RemoveCustomShell($admins) | Out-Null
$shell.SetCustomShell($admins, "explorer.exe", $null, $null, $restartShell) | Out-Null
Write-Host "hpf-kiosk is the shell of $KioskUser; sign in as $KioskUser (or set up auto sign-in) to start the kiosk."
