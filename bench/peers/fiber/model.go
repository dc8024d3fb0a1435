package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/dmitryikh/leaves"
)

// servedModel is the loaded ensemble with what the spans say about it.
type servedModel struct {
	ensemble *leaves.Ensemble
	name     string
	version  string // "sha256:" and the first 16 hex digits of the file, as the TypeScript endpoint reports it
	features int
	trees    int
}

// loadModel reads a LightGBM model.txt with leaves.
//
// leaves (last release 2023) accepts only `version=v2` and `version=v3` headers, and LightGBM 4 writes
// `version=v4`. v4 adds nothing leaves reads for a model like ours (no linear trees), so the header line is
// rewritten to `version=v3` in memory before the text reaches leaves; the file on disk is untouched. The
// bundled model's predictions are checked against the real lightgbm by test/peers/fiber-peer.test.ts.
func loadModel(path, name string) (*servedModel, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(text)
	ensemble, err := leaves.LGEnsembleFromReader(bufio.NewReader(bytes.NewReader(v4HeaderAsV3(text))), true)
	if err != nil {
		return nil, fmt.Errorf("leaves cannot load %s: %w", path, err)
	}
	if ensemble.NOutputGroups() != 1 {
		return nil, fmt.Errorf("%s has %d outputs per row; this peer serves single-output models", path, ensemble.NOutputGroups())
	}
	return &servedModel{
		ensemble: ensemble,
		name:     name,
		version:  "sha256:" + hex.EncodeToString(sum[:])[:16],
		features: ensemble.NFeatures(),
		trees:    ensemble.NEstimators() * ensemble.NRawOutputGroups(),
	}, nil
}

// v4HeaderAsV3 returns text with its `version=v4` line (the second line of a LightGBM model file) replaced by
// `version=v3`. Any other text comes back unchanged.
func v4HeaderAsV3(text []byte) []byte {
	const v4, v3 = "\nversion=v4\n", "\nversion=v3\n"
	end := bytes.IndexByte(text, '\n')
	if end < 0 || !bytes.HasPrefix(text[end:], []byte(v4)) {
		return text
	}
	out := make([]byte, 0, len(text))
	out = append(out, text[:end]...)
	out = append(out, v3...)
	return append(out, text[end+len(v4):]...)
}

// predict evaluates every tree (nEstimators 0 = all) on one row, on the calling goroutine. PredictSingle quietly
// returns 0.0 for a short row or a multi-output model, so loadModel refuses the latter and request.parse checks
// every row's width before it gets here.
func (m *servedModel) predict(row []float64) float64 {
	return m.ensemble.PredictSingle(row, 0)
}
