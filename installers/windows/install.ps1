#Requires -RunAsAdministrator
<#
.SYNOPSIS
  Installs anode as a Windows service (through the WinSW wrapper), verified first.

.DESCRIPTION
  Fetches anode-win-x64.exe, the WinSW wrapper anode-service.exe, SHA256SUMS and its
  ed25519 signature (from -ReleaseDir, or downloads them from -BaseUrl), checks the
  signature with openssl against the release keys and every file's sha256, installs both
  executables in -InstallDir, adds it to the machine PATH, then runs
  `anode service install` (which writes anode-service.xml, registers the service with
  restart-on-failure recovery actions, makes %ProgramData%\anode read-only to all but
  Administrators and grants LocalService only its data\ and logs\ folders, moving an
  older install's data into data\) and starts it. The config,
  %ProgramData%\anode\config.json, can replace the release keys: the service account
  can read it and never write it.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File install.ps1 -ReleaseDir .\dist\release -TrustedKeys .\build\trusted-keys.json
#>
[CmdletBinding()]
param(
  [string]$ReleaseDir = $env:ANODE_RELEASE_DIR,
  [string]$BaseUrl = $(if ($env:ANODE_BASE_URL) { $env:ANODE_BASE_URL } else { "https://github.com/anode-network/anode/releases/latest/download" }),
  [string]$InstallDir = (Join-Path $env:ProgramFiles "anode"),
  # trusted-keys.json; by default the keys built into this script.
  [string]$TrustedKeys,
  # Checksums only, for a machine without openssl: say so explicitly.
  [switch]$SkipSignature,
  [switch]$NoStart
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version 3

# Rendered from build/trusted-keys.json by build/render-service-files.mjs.
$EmbeddedKeys = @("3KhPFPcAlgnc0nzkLnmwjzBxEsLtjs0nQN1nIQ1tCso=")

$Binary = "anode-win-x64.exe"
$Wrapper = "anode-service.exe"

if (-not [Environment]::Is64BitOperatingSystem) { throw "Cannot install: anode needs 64-bit Windows" }
if ($env:PROCESSOR_ARCHITECTURE -eq "ARM64") { Write-Warning "ARM64 Windows: running the x64 build under emulation" }

$Tmp = Join-Path ([IO.Path]::GetTempPath()) ("anode-install-" + [Guid]::NewGuid())
New-Item -ItemType Directory -Path $Tmp | Out-Null
try {
  function Get-ReleaseFile([string]$Name) {
    $to = Join-Path $Tmp $Name
    if ($ReleaseDir) {
      $from = Join-Path $ReleaseDir $Name
      if (-not (Test-Path $from)) { throw "Cannot install: $from is missing" }
      Copy-Item $from $to
    } else {
      [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
      Invoke-WebRequest -UseBasicParsing -Uri "$BaseUrl/$Name" -OutFile $to
    }
    return $to
  }

  function Find-OpenSsl {
    $cmd = Get-Command openssl -ErrorAction SilentlyContinue
    if ($cmd) { return $cmd.Source }
    # Git for Windows ships one; GitHub's runners and most developer machines have it.
    foreach ($p in @("$env:ProgramFiles\Git\usr\bin\openssl.exe", "$env:ProgramFiles\Git\mingw64\bin\openssl.exe")) {
      if (Test-Path $p) { return $p }
    }
    return $null
  }

  # openssl wants SubjectPublicKeyInfo; a trusted key is the raw 32 bytes. The DER form is
  # a fixed prefix (SEQUENCE, OID 1.3.101.112 = Ed25519, BIT STRING) and the raw key.
  function ConvertTo-Ed25519Pem([string]$RawBase64) {
    $raw = [Convert]::FromBase64String($RawBase64)
    if ($raw.Length -ne 32) { throw "Cannot verify: trusted key $RawBase64 is not 32 bytes" }
    $prefix = [byte[]](0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00)
    $der = $prefix + $raw
    return "-----BEGIN PUBLIC KEY-----`n" + [Convert]::ToBase64String([byte[]]$der) + "`n-----END PUBLIC KEY-----`n"
  }

  $sums = Get-ReleaseFile "SHA256SUMS"
  $sig = Get-ReleaseFile "SHA256SUMS.sig"
  $keys = if ($TrustedKeys) { @((Get-Content -Raw $TrustedKeys | ConvertFrom-Json).keys | ForEach-Object { $_.publicKey }) } else { $EmbeddedKeys }

  if ($SkipSignature) {
    Write-Warning "Skipping the signature check (-SkipSignature): only checksums are verified"
  } else {
    $openssl = Find-OpenSsl
    if (-not $openssl) { throw "Cannot verify SHA256SUMS: openssl not found (install Git for Windows or OpenSSL, or pass -SkipSignature)" }
    if ($keys.Count -eq 0) { throw "Cannot verify SHA256SUMS: no trusted release keys (pass -TrustedKeys)" }
    $sigBin = Join-Path $Tmp "sig.bin"
    [IO.File]::WriteAllBytes($sigBin, [Convert]::FromBase64String((Get-Content -Raw $sig).Trim()))
    $ok = $false
    foreach ($k in $keys) {
      $pem = Join-Path $Tmp "key.pem"
      [IO.File]::WriteAllText($pem, (ConvertTo-Ed25519Pem $k))
      & $openssl pkeyutl -verify -pubin -inkey $pem -rawin -in $sums -sigfile $sigBin *> $null
      if ($LASTEXITCODE -eq 0) { $ok = $true; break }
    }
    if (-not $ok) { throw "Cannot install: SHA256SUMS.sig is not a valid signature by a trusted release key" }
  }

  $listed = @{}
  foreach ($line in Get-Content $sums) {
    if ($line -match '^([0-9a-fA-F]{64}) [ *](.+)$') { $listed[$Matches[2]] = $Matches[1].ToLower() }
  }
  $files = @{}
  foreach ($name in @($Binary, $Wrapper)) {
    $path = Get-ReleaseFile $name
    if (-not $listed.ContainsKey($name)) { throw "Cannot install: SHA256SUMS lists no $name" }
    $actual = (Get-FileHash -Algorithm SHA256 $path).Hash.ToLower()
    if ($actual -ne $listed[$name]) { throw "Cannot install: $name has sha256 $actual, SHA256SUMS says $($listed[$name])" }
    $files[$name] = $path
  }
  Write-Host "anode-install: verified $Binary and $Wrapper"

  New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
  $exe = Join-Path $InstallDir "anode.exe"
  $wrapperExe = Join-Path $InstallDir $Wrapper
  if (Test-Path (Join-Path $InstallDir "anode-service.xml")) {
    # An upgrade: stop the old service so its files can be replaced, then re-register.
    & $exe service uninstall --winsw $wrapperExe | Out-Host
  }
  Copy-Item -Force $files[$Binary] $exe
  Copy-Item -Force $files[$Wrapper] $wrapperExe

  $machinePath = [Environment]::GetEnvironmentVariable("Path", "Machine")
  if (($machinePath -split ";") -notcontains $InstallDir) {
    [Environment]::SetEnvironmentVariable("Path", "$machinePath;$InstallDir", "Machine")
  }

  & $exe service install --binary $exe --winsw $wrapperExe
  if ($LASTEXITCODE -ne 0) { throw "Cannot install: anode service install exited with $LASTEXITCODE" }
  if (-not $NoStart) {
    & $exe service start
    if ($LASTEXITCODE -ne 0) { throw "Cannot start the service: anode service start exited with $LASTEXITCODE" }
  }
  Write-Host "anode-install: installed $exe; service 'anode' runs 'anode start --system' (data in $env:ProgramData\anode\data, config $env:ProgramData\anode\config.json)"
} finally {
  Remove-Item -Recurse -Force $Tmp -ErrorAction SilentlyContinue
}
