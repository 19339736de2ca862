<?php
/**
 * Consent Gate: reading the consent cookie on a server (PHP 7.4+, 64-bit).
 *
 *     require __DIR__ . '/consent-gate.php';
 *     $consent = \ConsentGate\read_consent($_COOKIE['consent_gate'] ?? '');
 *     if ($consent !== null && $consent['categories']['performance']) { ... }
 *
 * The grammar is README.md, "The consent cookie"'s; this reader is tested against the same
 * golden vectors as the module's Rust decoder.
 */

declare(strict_types=1);

namespace ConsentGate;

const VALUE_PATTERN = '/\A1\.([0-9a-f]{32})\.([1-9][0-9]{0,9})\.(0|[1-9][0-9]{0,10})\.(0|[1-9][0-9]{0,10})'
    . '\.(0|[1-9][0-9]{0,10})\.(1[01]{3})\.([0-3])'
    . '\.((?:[a-z0-9][a-z0-9_-]{0,63}:[01])(?:~[a-z0-9][a-z0-9_-]{0,63}:[01]){0,63})?'
    . '\.([0-9a-f]{8})\z/';
const MAX_LEN = 3072;
const MAX_REVISION = 1000000000;
const MAX_LIFETIME = 395 * 86400;
const CATEGORIES = ['essential', 'performance', 'functional', 'marketing'];

/** FNV-1a 32-bit of a byte string. */
function fnv1a32(string $data): int
{
    $h = 0x811C9DC5;
    $n = strlen($data);
    for ($i = 0; $i < $n; $i++) {
        $h ^= ord($data[$i]);
        // $h < 2^32 and the prime < 2^25: the product fits a 64-bit int.
        $h = ($h * 0x01000193) & 0xFFFFFFFF;
    }
    return $h;
}

/** Unix seconds as JavaScript's Date.prototype.toISOString shows them. */
function iso(int $seconds): string
{
    return gmdate('Y-m-d\TH:i:s', $seconds) . '.000Z';
}

/**
 * The decision in a consent cookie's raw value, in the shape of the browser's
 * ConsentGate.get() (id, revision, decidedAt, updatedAt, expiresAt,
 * categories, services, gpc; mode = 'opt-out' for a decision taken in an
 * opt-out region), or null when the value does not match the
 * grammar exactly (truncated, tampered, out of range, extra fields,
 * whitespace...) or the decision has expired at $now (Unix seconds; default:
 * the current time). null means "no decision": grant nothing optional.
 * Compare 'revision' with your config's yourself.
 */
function read_consent(string $value, ?int $now = null): ?array
{
    if (strlen($value) > MAX_LEN || preg_match(VALUE_PATTERN, $value, $m) !== 1) {
        return null;
    }
    [, $id, $rev, $dec, $upd, $exp, $cats, $flags] = $m;
    $services = $m[8] ?? '';
    $check = $m[9];
    if (fnv1a32(substr($value, 0, -9)) !== intval($check, 16)) {
        return null;
    }
    $revision = (int) $rev;
    $decided = (int) $dec;
    $updated = (int) $upd;
    $expires = (int) $exp;
    if ($revision > MAX_REVISION) {
        return null;
    }
    if ($decided > $updated || $updated >= $expires || $expires - $updated > MAX_LIFETIME) {
        return null;
    }
    if (!(($now ?? time()) < $expires)) {
        return null;
    }
    $grants = [];
    $previous = null;
    foreach ($services === '' ? [] : explode('~', $services) as $item) {
        $sid = substr($item, 0, -2);
        // Sorted by id (byte order), each id once.
        if ($previous !== null && strcmp($previous, $sid) >= 0) {
            return null;
        }
        $previous = $sid;
        $grants[$sid] = substr($item, -1) === '1';
    }
    $categories = [];
    foreach (CATEGORIES as $i => $name) {
        $categories[$name] = $cats[$i] === '1';
    }
    $record = [
        'id' => $id,
        'revision' => $revision,
        'decidedAt' => iso($decided),
        'updatedAt' => iso($updated),
        'expiresAt' => iso($expires),
        'categories' => $categories,
        'services' => $grants,
        // flags: 1 = GPC honoured, 2 = decided in an opt-out region, 3 = both.
        'gpc' => $flags === '1' || $flags === '3',
    ];
    if ($flags === '2' || $flags === '3') {
        $record['mode'] = 'opt-out';
    }
    return $record;
}
