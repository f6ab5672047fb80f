package main

import (
	"os"
	"strings"
	"testing"
)

// TestDockerfileDataVolume checks the runtime stage of the Dockerfile the way Docker reads it:
// a fresh named volume on /data is initialised from the image's /data, so that directory must
// exist in the image, belong to the non-root user the service runs as, and be declared a volume
// only after both. (No Docker daemon is needed: the order of the instructions is the contract.)
func TestDockerfileDataVolume(t *testing.T) {
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	stages := strings.Split(string(data), "\nFROM ")
	runtime := stages[len(stages)-1]
	var copyAt, userAt, volumeAt = -1, -1, -1
	for i, line := range strings.Split(runtime, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch {
		case f[0] == "COPY" && strings.Contains(line, "--chown=65532:65532") && f[len(f)-1] == "/data":
			copyAt = i
		case f[0] == "USER" && len(f) > 1 && strings.HasPrefix(f[1], "nonroot"):
			userAt = i
		case f[0] == "VOLUME" && strings.Contains(line, `"/data"`):
			volumeAt = i
		}
	}
	switch {
	case copyAt < 0:
		t.Fatal("the runtime stage does not create /data owned by nonroot (65532)")
	case userAt < 0:
		t.Fatal("the runtime stage does not switch to the nonroot user")
	case volumeAt < 0:
		t.Fatal("the runtime stage does not declare /data a volume")
	case volumeAt < copyAt || volumeAt < userAt:
		t.Fatalf("VOLUME /data (line %d) comes before the /data directory (line %d) or USER (line %d): a fresh volume would belong to root", volumeAt, copyAt, userAt)
	}
	if !strings.Contains(string(data), "SALESGUARD_DB=/data/") {
		t.Error("the image does not keep its database on /data")
	}
}
