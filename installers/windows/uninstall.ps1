#Requires -RunAsAdministrator
<#
.SYNOPSIS
  Stops and removes the anode service and program files; -Purge also deletes
  %ProgramData%\anode (data, config, logs).
#>
[CmdletBinding()]
param(
  [string]$InstallDir = (Join-Path $env:ProgramFiles "anode"),
  [switch]$Purge
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version 3

$exe = Join-Path $InstallDir "anode.exe"
$wrapper = Join-Path $InstallDir "anode-service.exe"
if ((Test-Path $exe) -and (Test-Path (Join-Path $InstallDir "anode-service.xml"))) {
  & $exe service uninstall --winsw $wrapper
  if ($LASTEXITCODE -ne 0) { throw "Cannot uninstall the service: anode service uninstall exited with $LASTEXITCODE" }
} elseif (Test-Path $wrapper) {
  & $wrapper stop | Out-Null
  & $wrapper uninstall | Out-Null
}

$machinePath = [Environment]::GetEnvironmentVariable("Path", "Machine")
$kept = ($machinePath -split ";") | Where-Object { $_ -and $_ -ne $InstallDir }
[Environment]::SetEnvironmentVariable("Path", ($kept -join ";"), "Machine")
Remove-Item -Recurse -Force $InstallDir -ErrorAction SilentlyContinue

if ($Purge) {
  Remove-Item -Recurse -Force (Join-Path $env:ProgramData "anode") -ErrorAction SilentlyContinue
  Write-Host "anode-uninstall: removed the service, $InstallDir and $env:ProgramData\anode"
} else {
  Write-Host "anode-uninstall: removed the service and $InstallDir; data kept in $env:ProgramData\anode (-Purge removes it)"
}
