//go:build !race

package app

// raceBuild reports whether the tests run under the race detector (about 5× slower).
const raceBuild = false
