<?php
// Runs the PHP reader on every golden vector; prints the results as JSON
// (tests/readers.rs compares them with the vectors).
declare(strict_types=1);
require __DIR__ . '/../../pkg-template/server/consent-gate.php';

$doc = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
$shape = function (?array $r) {
    if ($r === null) {
        return null;
    }
    // Service ids such as "0" become integer keys in PHP arrays: keep objects objects.
    $r['categories'] = (object) $r['categories'];
    $r['services'] = (object) $r['services'];
    return $r;
};
$out = ['valid' => [], 'invalid' => [], 'defaultNow' => []];
foreach ($doc['valid'] as $v) {
    $out['valid'][] = $shape(\ConsentGate\read_consent($v['value'], $doc['now']));
    $out['defaultNow'][] = $shape(\ConsentGate\read_consent($v['value']));
}
foreach ($doc['invalid'] as $v) {
    $out['invalid'][] = $shape(\ConsentGate\read_consent($v['value'], $doc['now']));
}
echo json_encode($out, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES), "\n";
