#!/usr/bin/env sh
# Builds the centrifuge peer against Debian's Go packages, listed in debian-packages next to this script
# (apt-get install $(cat debian-packages)): GOPATH mode, nothing downloaded. Output: target/centrifuge-broadcast.
# Runs the JWT verifier's test first.
set -eu
cd "$(dirname "$0")"
mkdir -p target
export GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOCACHE="${GOCACHE:-${TMPDIR:-/tmp}/tocsin-go-cache}"
go test main.go jwt.go jwt_test.go
go build -o target/centrifuge-broadcast main.go jwt.go
