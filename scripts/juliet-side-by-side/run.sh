#!/usr/bin/env bash
# Side by side on the Juliet dev set: builds the dev set's cases (with Juliet's src/testcasesupport) as one
# .NET Framework 4.8 project with SecurityCodeScan.VS2019 5.6.7 and SonarAnalyzer.CSharp 9.32 as analyzers, and
# scores their diagnostics like ../shared/eval/juliet-dev/score scores `reviewbot analyze` (a Bad() method is found
# when a diagnostic falls in it; CWE-matched when the diagnostic's rule maps to the file's CWE, see cwe-map.tsv).
# Out of CI. Needs the NuGet feed and a copy of the Juliet C# repository (for src/testcasesupport and lib/NLog.dll).
# Usage (from the project root):
#   bash scripts/juliet-side-by-side/run.sh JULIET_REPO_DIR [DEV_SET_DIR]
#   JULIET_REPO_DIR: a checkout, or a bare/mirror git directory, of Benthediver99/juliet_test_suite_1.3-csharp
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
juliet="${1:?usage: run.sh JULIET_REPO_DIR [DEV_SET_DIR]}"
devset="${2:-$(cd "$here/../../.." && pwd)/shared/eval/juliet-dev}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/support" "$work/lib" "$work/cases"

# Juliet's support classes and NLog, from a work tree or from a git directory.
if [[ -d "$juliet/src/testcasesupport" ]]; then
  cp "$juliet"/src/testcasesupport/*.cs "$work/support/"; cp "$juliet/lib/NLog.dll" "$work/lib/"
else
  for f in $(git --git-dir="$juliet" ls-tree --name-only HEAD src/testcasesupport/ | grep '\.cs$'); do
    git --git-dir="$juliet" show "HEAD:$f" >"$work/support/$(basename "$f")"
  done
  git --git-dir="$juliet" show HEAD:lib/NLog.dll >"$work/lib/NLog.dll"
fi
while read -r p; do [[ -n $p ]] || continue; mkdir -p "$work/cases/$(dirname "$p")"; cp "$devset/$p" "$work/cases/$p"; done <"$devset/files.txt"

cat >"$work/Juliet.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net48</TargetFramework>
    <OutputType>Library</OutputType>
    <LangVersion>7.3</LangVersion>
    <Nullable>disable</Nullable>
    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
    <GenerateAssemblyInfo>false</GenerateAssemblyInfo>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <NoWarn>CS0168;CS0162;CS0219;CS0414;CS0649;CS0169;CS1998</NoWarn>
    <RunAnalyzersDuringBuild>true</RunAnalyzersDuringBuild>
    <ErrorLog>diagnostics.sarif,version=2.1</ErrorLog>
    <SonarQubeExclude>false</SonarQubeExclude>
  </PropertyGroup>
  <ItemGroup>
    <Compile Include="support/*.cs" Exclude="support/AssemblyInfo.cs" />
    <Compile Include="cases/**/*.cs" />
    <AdditionalFiles Include="SonarLint.xml" />
    <Reference Include="NLog"><HintPath>lib/NLog.dll</HintPath></Reference>
    <Reference Include="System.Web" />
    <Reference Include="System.Data" />
    <Reference Include="System.DirectoryServices" />
    <Reference Include="System.Configuration" />
    <Reference Include="System.Net.Http" />
    <Reference Include="System.Xml" />
    <Reference Include="System.Security" />
    <Reference Include="System.Windows.Forms" />
    <Reference Include="System.Drawing" />
    <PackageReference Include="Microsoft.NETFramework.ReferenceAssemblies.net48" Version="1.0.3" PrivateAssets="all" />
    <PackageReference Include="SecurityCodeScan.VS2019" Version="5.6.7" PrivateAssets="all" />
    <PackageReference Include="SonarAnalyzer.CSharp" Version="9.32.0.97167" PrivateAssets="all" />
  </ItemGroup>
</Project>
XML
# Every rule of both analyzers on, whatever its default (Sonar's hotspots and SCS's audit rules included).
cat >"$work/.editorconfig" <<'EOF2'
root = true
[*.cs]
dotnet_analyzer_diagnostic.severity = warning
EOF2
# Sonar's security hotspot rules run only when an SonarLint.xml activates them: activate every Sonar rule of the map.
{ echo '<?xml version="1.0" encoding="UTF-8"?>'; echo '<AnalysisInput><Settings></Settings><Rules>'
  awk -F'\t' '/^S[0-9]/ {print "<Rule><Key>" $1 "</Key></Rule>"}' "$here/cwe-map.tsv"; echo '</Rules><Files></Files></AnalysisInput>'; } >"$work/SonarLint.xml"
echo "building the dev set with both analyzers in $work ..." >&2
dotnet build "$work/Juliet.csproj" -c Release -nologo -v q -p:WarningLevel=4 >"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; exit 1; }
python3 "$here/score.py" "$work/diagnostics.sarif" "$work/cases" "$devset/files.txt" "$here/cwe-map.tsv"
