<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>ConsoleActions</name>
    <message>
        <source>Submit</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Tentar de novo</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Process results</source>
        <translation>Processar resultados</translation>
    </message>
    <message>
        <source>Export results</source>
        <translation>Exportar resultados</translation>
    </message>
</context>
<context>
    <name>JobActionController</name>
    <message>
        <source>… and %1 more</source>
        <translation>… e mais %1</translation>
    </message>
</context>
<context>
    <name>SecretStore</name>
    <message>
        <source>Nothing is stored in the keychain under this name.</source>
        <translation>Não há nada guardado no chaveiro com este nome.</translation>
    </message>
    <message>
        <source>The system keychain refused access (%1).</source>
        <translation>O chaveiro do sistema recusou o acesso (%1).</translation>
    </message>
    <message>
        <source>The system keychain cannot be used: no Secret Service or KWallet answers on this desktop.</source>
        <translation>Não é possível usar o chaveiro do sistema: nenhum Secret Service ou KWallet responde nesta área de trabalho.</translation>
    </message>
</context>
<context>
    <name>StatusStyle</name>
    <message>
        <source>Pending</source>
        <translation>Pendente</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Falhou</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Pronto</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>Processando</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Concluído</translation>
    </message>
    <message>
        <source>PENDING_SUBMISSION: not sent to the provider yet</source>
        <translation>PENDING_SUBMISSION: ainda não enviado ao provedor</translation>
    </message>
    <message>
        <source>SUBMITTED: the provider is working on the batch</source>
        <translation>SUBMITTED: o provedor está processando o lote</translation>
    </message>
    <message>
        <source>SUBMISSION_FAILED: refused, failed, cancelled or expired at the provider</source>
        <translation>SUBMISSION_FAILED: recusado, falhou, cancelado ou expirado no provedor</translation>
    </message>
    <message>
        <source>PENDING_PROCESSING: the provider finished; results are ready to process</source>
        <translation>PENDING_PROCESSING: o provedor terminou; os resultados estão prontos para processar</translation>
    </message>
    <message>
        <source>PROCESSING: results are being stored</source>
        <translation>PROCESSING: os resultados estão sendo gravados</translation>
    </message>
    <message>
        <source>COMPLETED: results stored</source>
        <translation>COMPLETED: resultados gravados</translation>
    </message>
</context>
<context>
    <name>TimeText</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 h %2 m</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 d</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 d %2 h</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>agora mesmo</translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>há %1</translation>
    </message>
    <message>
        <source>expired %1 ago</source>
        <translation>expirou há %1</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>em %1</translation>
    </message>
</context>
<context>
    <name>batchdeck::ConsoleNotifications</name>
    <message>
        <source>Completed: %1</source>
        <translation>Concluído: %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Falhou: %1</translation>
    </message>
    <message>
        <source>Stuck: %1</source>
        <translation>Parado: %1</translation>
    </message>
    <message>
        <source>Job completed: %1</source>
        <translation>Job concluído: %1</translation>
    </message>
    <message>
        <source>Job failed: %1</source>
        <translation>Job falhou: %1</translation>
    </message>
    <message>
        <source>Job stuck: %1</source>
        <translation>Job parado: %1</translation>
    </message>
    <message>
        <source>Jobs: %1 completed, %2 failed, %3 stuck</source>
        <translation>Jobs: %1 concluídos, %2 com falha, %3 parados</translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>e mais %1</translation>
    </message>
</context>
<context>
    <name>batchdeck::DatabaseSettingsPage</name>
    <message>
        <source>SQLite file on this computer</source>
        <translation>Arquivo SQLite neste computador</translation>
    </message>
    <message>
        <source>Leave empty for the default file</source>
        <translation>Deixe vazio para usar o arquivo padrão</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
    <message>
        <source>PostgreSQL server (shared with headless servers)</source>
        <translation>Servidor PostgreSQL (compartilhado com servidores sem interface)</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Testar conexão</translation>
    </message>
    <message>
        <source>Applies the next time the console starts. --db and the BATCHDECK_DB environment variable win over this setting.</source>
        <translation>Vale a partir da próxima vez que o console for aberto. --db e a variável de ambiente BATCHDECK_DB têm prioridade sobre esta configuração.</translation>
    </message>
    <message>
        <source>Type the PostgreSQL URL, or choose a SQLite file.</source>
        <translation>Digite a URL do PostgreSQL ou escolha um arquivo SQLite.</translation>
    </message>
    <message>
        <source>Job database</source>
        <translation>Banco de dados de jobs</translation>
    </message>
    <message>
        <source>SQLite databases (*.db *.sqlite);;All files (*)</source>
        <translation>Bancos de dados SQLite (*.db *.sqlite);;Todos os arquivos (*)</translation>
    </message>
    <message>
        <source>The file does not exist yet: the console creates it when it opens the database.</source>
        <translation>O arquivo ainda não existe: o console o cria ao abrir o banco de dados.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <source>Cannot connect: %1</source>
        <translation>Não foi possível conectar: %1</translation>
    </message>
    <message>
        <source>Connected. No Batchdeck tables yet: the console creates them when it opens the database.</source>
        <translation>Conectado. Ainda não há tabelas do Batchdeck: o console as cria ao abrir o banco de dados.</translation>
    </message>
    <message>
        <source>Connected, but a newer Batchdeck wrote this database (schema %1; this console knows up to %2).</source>
        <translation>Conectado, mas este banco de dados foi gravado por um Batchdeck mais novo (esquema %1; este console conhece até o %2).</translation>
    </message>
    <message>
        <source>Connected. Batchdeck schema version %1.</source>
        <translation>Conectado. Versão %1 do esquema do Batchdeck.</translation>
    </message>
</context>
<context>
    <name>batchdeck::EventTableModel</name>
    <message>
        <source>created as %1</source>
        <translation>criado como %1</translation>
    </message>
    <message>
        <source>%1 (no change)</source>
        <translation>%1 (sem mudança)</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quando</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Quem</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Mudança</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Motivo</translation>
    </message>
</context>
<context>
    <name>batchdeck::JobActionController</name>
    <message>
        <source>Submit…</source>
        <translation>Enviar…</translation>
    </message>
    <message>
        <source>Submit a batch type for a run: items, a preview of the requests, then send (Ctrl+N)</source>
        <translation>Enviar um tipo de lote para uma execução: itens, uma prévia das requisições, depois o envio (Ctrl+N)</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Tentar de novo</translation>
    </message>
    <message>
        <source>Send a failed job again as a new attempt</source>
        <translation>Enviar de novo um job com falha como uma nova tentativa</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Cancel the job: at the provider when it is submitted</source>
        <translation>Cancelar o job: no provedor, quando já foi enviado</translation>
    </message>
    <message>
        <source>Process results</source>
        <translation>Processar resultados</translation>
    </message>
    <message>
        <source>Download the batch&apos;s output and store its results</source>
        <translation>Baixar a saída do lote e guardar seus resultados</translation>
    </message>
    <message>
        <source>Export results…</source>
        <translation>Exportar resultados…</translation>
    </message>
    <message>
        <source>Write the job&apos;s results to a CSV or JSONL file</source>
        <translation>Gravar os resultados do job num arquivo CSV ou JSONL</translation>
    </message>
    <message>
        <source>Copy batch id</source>
        <translation>Copiar ID do lote</translation>
    </message>
    <message>
        <source>Copy the provider batch id of the job to the clipboard</source>
        <translation>Copiar o ID do lote no provedor para a área de transferência</translation>
    </message>
    <message>
        <source>This console only looks: it has no engine to act with.</source>
        <translation>Este console só observa: não tem motor para agir.</translation>
    </message>
    <message>
        <source>Submitting &apos;%1&apos; for run %2…</source>
        <translation>Enviando &apos;%1&apos; para a execução %2…</translation>
    </message>
    <message>
        <source>Retry jobs</source>
        <translation>Tentar jobs de novo</translation>
    </message>
    <message numerus="yes">
        <source>Send %n failed job(s) again as a new attempt?</source>
        <translation>
            <numerusform>Enviar de novo %n job com falha como uma nova tentativa?</numerusform>
            <numerusform>Enviar de novo %n jobs com falha como uma nova tentativa?</numerusform>
        </translation>
    </message>
    <message>
        <source>Retrying job %1…</source>
        <translation>Tentando de novo o job %1…</translation>
    </message>
    <message>
        <source>Cancel jobs</source>
        <translation>Cancelar jobs</translation>
    </message>
    <message numerus="yes">
        <source>Cancel %n job(s)? A submitted batch is cancelled at the provider: requests it has not run are lost, and the job must be retried to send them again.</source>
        <translation>
            <numerusform>Cancelar %n job? Um lote enviado é cancelado no provedor: as requisições que ele não executou se perdem, e o job precisa ser tentado de novo para enviá-las.</numerusform>
            <numerusform>Cancelar %n jobs? Um lote enviado é cancelado no provedor: as requisições que ele não executou se perdem, e o job precisa ser tentado de novo para enviá-las.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancel %n job(s)</source>
        <translation>
            <numerusform>Cancelar %n job</numerusform>
            <numerusform>Cancelar %n jobs</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelling job %1…</source>
        <translation>Cancelando o job %1…</translation>
    </message>
    <message>
        <source>Processing the results of job %1…</source>
        <translation>Processando os resultados do job %1…</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl)</source>
        <translation>JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <source>Export the results of job %1</source>
        <translation>Exportar os resultados do job %1</translation>
    </message>
    <message>
        <source>Exporting the results of job %1…</source>
        <translation>Exportando os resultados do job %1…</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>Copiado: %1</translation>
    </message>
</context>
<context>
    <name>batchdeck::JobDetailsPanel</name>
    <message>
        <source>Overview</source>
        <translation>Visão geral</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Erros</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Eventos</translation>
    </message>
    <message>
        <source>Provider batches</source>
        <translation>Lotes no provedor</translation>
    </message>
    <message>
        <source>Select a job to see its details.</source>
        <translation>Selecione um job para ver os detalhes.</translation>
    </message>
    <message>
        <source>Job %1 · %2 · %3</source>
        <translation>Job %1 · %2 · %3</translation>
    </message>
    <message>
        <source>Provider batches (%1)</source>
        <translation>Lotes no provedor (%1)</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>Request preview</source>
        <translation>Prévia das requisições</translation>
    </message>
    <message>
        <source>Results (%1)</source>
        <translation>Resultados (%1)</translation>
    </message>
    <message>
        <source>Errors (%1)</source>
        <translation>Erros (%1)</translation>
    </message>
</context>
<context>
    <name>batchdeck::JobErrorsTab</name>
    <message>
        <source>No errors recorded for this job.</source>
        <translation>Nenhum erro registrado para este job.</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>Detalhes do erro</translation>
    </message>
    <message>
        <source>The job itself has no error details; some of its requests failed.</source>
        <translation>O job em si não tem detalhes de erro; algumas das suas requisições falharam.</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) failed; listing them needs the engine, which is not running in this console.</source>
        <translation>
            <numerusform>%n requisição falhou; listá-la requer o motor, que não está rodando neste console.</numerusform>
            <numerusform>%n requisições falharam; listá-las requer o motor, que não está rodando neste console.</numerusform>
        </translation>
    </message>
    <message>
        <source>Reading the failed requests…</source>
        <translation>Lendo as requisições que falharam…</translation>
    </message>
    <message>
        <source>Cannot read the failed requests: %1</source>
        <translation>Não foi possível ler as requisições que falharam: %1</translation>
    </message>
    <message>
        <source>Failed requests: the first %1 of %2 (%3 more; export the errors for all).</source>
        <translation>Requisições que falharam: as primeiras %1 de %2 (mais %3; exporte os erros para ver todas).</translation>
    </message>
    <message>
        <source>Failed requests: %1.</source>
        <translation>Requisições que falharam: %1.</translation>
    </message>
</context>
<context>
    <name>batchdeck::JobNotifier</name>
    <message>
        <source>Results saved: %1, with errors: %2.</source>
        <translation>Resultados gravados: %1, com erro: %2.</translation>
    </message>
    <message>
        <source>The lease of its worker (%1) ran out %2: the worker stopped while holding the job.</source>
        <translation>A concessão do seu worker (%1) expirou %2: o worker parou enquanto segurava o job.</translation>
    </message>
    <message>
        <source>The provider status (%1) and the request counts have not changed for %2.</source>
        <translation>O status no provedor (%1) e as contagens de requisições não mudam há %2.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconhecido</translation>
    </message>
</context>
<context>
    <name>batchdeck::JobOverviewTab</name>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Job id</source>
        <translation>ID do job</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Execução</translation>
    </message>
    <message>
        <source>Batch type</source>
        <translation>Tipo de lote</translation>
    </message>
    <message>
        <source>Batch id</source>
        <translation>ID do lote</translation>
    </message>
    <message>
        <source>Input file</source>
        <translation>Arquivo de entrada</translation>
    </message>
    <message>
        <source>Output file</source>
        <translation>Arquivo de saída</translation>
    </message>
    <message>
        <source>Error file</source>
        <translation>Arquivo de erros</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Provider status</source>
        <translation>Status no provedor</translation>
    </message>
    <message>
        <source>Last asked</source>
        <translation>Última consulta</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>Tentativa</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requisições</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>Lease</source>
        <translation>Concessão</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Criado</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Atualizado</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Concluído</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Expira</translation>
    </message>
    <message>
        <source>Copy the %1 to the clipboard</source>
        <translation>Copiar %1 para a área de transferência</translation>
    </message>
    <message>
        <source>%1 completed, %2 failed of %3</source>
        <translation>%1 concluídas, %2 com falha de %3</translation>
    </message>
    <message>
        <source>%1 saved, %2 errors</source>
        <translation>%1 gravados, %2 erros</translation>
    </message>
    <message>
        <source>%1 until %2</source>
        <translation>%1 até %2</translation>
    </message>
</context>
<context>
    <name>batchdeck::JobTableModel</name>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>No request counts from the provider yet</source>
        <translation>O provedor ainda não informou as contagens de requisições</translation>
    </message>
    <message>
        <source>%1 completed, %2 failed, %3 requests in all</source>
        <translation>%1 concluídas, %2 com falha, %3 requisições no total</translation>
    </message>
    <message>
        <source>Created %1</source>
        <translation>Criado %1</translation>
    </message>
    <message>
        <source>Last change %1</source>
        <translation>Última mudança %1</translation>
    </message>
    <message>
        <source>The provider expires the batch at %1</source>
        <translation>O provedor expira o lote em %1</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Execução</translation>
    </message>
    <message>
        <source>Batch type</source>
        <translation>Tipo de lote</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Provedor</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progresso</translation>
    </message>
    <message>
        <source>Batch id</source>
        <translation>ID do lote</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>Tentativa</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Idade</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Atualizado</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Expira</translation>
    </message>
    <message>
        <source>The batch&apos;s status at the provider, as last seen</source>
        <translation>O status do lote no provedor, na última consulta</translation>
    </message>
    <message>
        <source>Requests finished at the provider (completed and failed) out of all requests</source>
        <translation>Requisições terminadas no provedor (concluídas e com falha) do total de requisições</translation>
    </message>
    <message>
        <source>Time since the job was created</source>
        <translation>Tempo desde a criação do job</translation>
    </message>
    <message>
        <source>Time since the job last changed</source>
        <translation>Tempo desde a última mudança do job</translation>
    </message>
    <message>
        <source>Time left before the provider expires a submitted batch</source>
        <translation>Tempo restante até o provedor expirar um lote enviado</translation>
    </message>
</context>
<context>
    <name>batchdeck::MainWindow</name>
    <message>
        <source>Batchdeck — Demo</source>
        <translation>Batchdeck — Demonstração</translation>
    </message>
    <message>
        <source>Batchdeck — %1</source>
        <translation>Batchdeck — %1</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Execuções</translation>
    </message>
    <message>
        <source>Select a run to show only its jobs</source>
        <translation>Selecione uma execução para mostrar só os jobs dela</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Jobs</translation>
    </message>
    <message>
        <source>Show the jobs of every run</source>
        <translation>Mostrar os jobs de todas as execuções</translation>
    </message>
    <message>
        <source>Search run, batch type, batch id…</source>
        <translation>Buscar execução, tipo, ID do lote…</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Atualizar</translation>
    </message>
    <message>
        <source>Read every job again now (%1)</source>
        <translation>Ler todos os jobs de novo agora (%1)</translation>
    </message>
    <message>
        <source>Update every</source>
        <translation>Atualizar a cada</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Desligado</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>How often the console reads the database for changes</source>
        <translation>Com que frequência o console lê o banco de dados em busca de mudanças</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Configurações…</translation>
    </message>
    <message>
        <source>Reading the database…</source>
        <translation>Lendo o banco de dados…</translation>
    </message>
    <message>
        <source>Demo: sample data</source>
        <translation>Demonstração: dados de exemplo</translation>
    </message>
    <message>
        <source>This console runs on a demo database: %1</source>
        <translation>Este console usa um banco de dados de demonstração: %1</translation>
    </message>
    <message>
        <source>The job database</source>
        <translation>O banco de dados de jobs</translation>
    </message>
    <message>
        <source>Loading jobs: %1 of %2 listed…</source>
        <translation>Carregando jobs: %1 de %2 listados…</translation>
    </message>
    <message>
        <source>%1 jobs · updated %2</source>
        <translation>%1 jobs · atualizado em %2</translation>
    </message>
    <message>
        <source>The last read took %1 ms</source>
        <translation>A última leitura levou %1 ms</translation>
    </message>
    <message>
        <source>Cannot read the database: %1</source>
        <translation>Não foi possível ler o banco de dados: %1</translation>
    </message>
    <message>
        <source>Cannot read the history of job %1: %2</source>
        <translation>Não foi possível ler o histórico do job %1: %2</translation>
    </message>
    <message>
        <source>Run: %1  ✕</source>
        <translation>Execução: %1  ✕</translation>
    </message>
    <message>
        <source>Reading the jobs…</source>
        <translation>Lendo os jobs…</translation>
    </message>
    <message>
        <source>No jobs yet. A job appears here as soon as Airflow, batchdeck-cli or another console submits a batch type for a run.</source>
        <translation>Ainda não há jobs. Um job aparece aqui assim que o Airflow, o batchdeck-cli ou outro console envia um tipo de lote para uma execução.</translation>
    </message>
    <message>
        <source>No job matches the status, run and search filters.</source>
        <translation>Nenhum job corresponde aos filtros de status, execução e busca.</translation>
    </message>
    <message>
        <source>Close this message</source>
        <translation>Fechar esta mensagem</translation>
    </message>
    <message>
        <source>The engine did not start, so this console can only look: %1</source>
        <translation>O motor não iniciou, então este console só pode observar: %1</translation>
    </message>
    <message>
        <source>&amp;Job</source>
        <translation>&amp;Job</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>job %1</source>
        <translation>job %1</translation>
    </message>
    <message>
        <source>&apos;%1&apos; of run %2</source>
        <translation>&apos;%1&apos; da execução %2</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 falhou: %2</translation>
    </message>
    <message>
        <source>%1 failed for %2 [%3]: %4</source>
        <translation>%1 falhou para %2 [%3]: %4</translation>
    </message>
</context>
<context>
    <name>batchdeck::NotificationBanner</name>
    <message>
        <source>Notifications</source>
        <translation>Notificações</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fechar</translation>
    </message>
</context>
<context>
    <name>batchdeck::ProviderBatchTableModel</name>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>Tentativa</translation>
    </message>
    <message>
        <source>Shard</source>
        <translation>Fragmento</translation>
    </message>
    <message>
        <source>Batch id</source>
        <translation>ID do lote</translation>
    </message>
    <message>
        <source>Provider status</source>
        <translation>Status no provedor</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requisições</translation>
    </message>
    <message>
        <source>Input file</source>
        <translation>Arquivo de entrada</translation>
    </message>
    <message>
        <source>Output file</source>
        <translation>Arquivo de saída</translation>
    </message>
    <message>
        <source>Error file</source>
        <translation>Arquivo de erros</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Atualizado</translation>
    </message>
</context>
<context>
    <name>batchdeck::ProviderBatchesTab</name>
    <message>
        <source>Select a batch to see the provider&apos;s Batch object.</source>
        <translation>Selecione um lote para ver o objeto Batch do provedor.</translation>
    </message>
</context>
<context>
    <name>batchdeck::ReasonDialog</name>
    <message>
        <source>Optional: recorded in the job&apos;s history</source>
        <translation>Opcional: registrado no histórico do job</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Motivo:</translation>
    </message>
</context>
<context>
    <name>batchdeck::RequestErrorTableModel</name>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>error</source>
        <translation>erro</translation>
    </message>
    <message>
        <source>The line of the provider&apos;s output or error file the error came from</source>
        <translation>A linha do arquivo de saída ou de erros do provedor de onde veio o erro</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Linha</translation>
    </message>
    <message>
        <source>custom_id</source>
        <translation>custom_id</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Código</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensagem</translation>
    </message>
</context>
<context>
    <name>batchdeck::RequestPreviewTab</name>
    <message>
        <source>The request preview needs the engine, which is not running in this console.</source>
        <translation>A prévia das requisições precisa do motor, que não está rodando neste console.</translation>
    </message>
    <message>
        <source>Rendering…</source>
        <translation>Gerando…</translation>
    </message>
    <message>
        <source>Cannot render the requests: %1</source>
        <translation>Não foi possível gerar as requisições: %1</translation>
    </message>
    <message>
        <source>Nothing to send: the run has no items for this batch type.</source>
        <translation>Nada a enviar: a execução não tem itens para este tipo de lote.</translation>
    </message>
    <message>
        <source>Reading file %1 from the provider…</source>
        <translation>Lendo o arquivo %1 do provedor…</translation>
    </message>
    <message>
        <source>As sent (file %1): cannot read it from the provider: %2</source>
        <translation>Como foi enviado (arquivo %1): não foi possível lê-lo do provedor: %2</translation>
    </message>
    <message>
        <source>As sent (file %1): the first %2 of %3 request lines, read back from the provider.</source>
        <translation>Como foi enviado (arquivo %1): as primeiras %2 de %3 linhas de requisição, lidas de volta do provedor.</translation>
    </message>
    <message>
        <source>As sent (file %1): the first %2 request lines, read back from the provider.</source>
        <translation>Como foi enviado (arquivo %1): as primeiras %2 linhas de requisição, lidas de volta do provedor.</translation>
    </message>
    <message>
        <source>As it will be sent: the first %1 of %2 request lines of &apos;%3&apos; for run %4, rendered from its items now.</source>
        <translation>Como será enviado: as primeiras %1 de %2 linhas de requisição de &apos;%3&apos; para a execução %4, geradas agora a partir dos seus itens.</translation>
    </message>
</context>
<context>
    <name>batchdeck::ResultTableModel</name>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>error</source>
        <translation>erro</translation>
    </message>
    <message>
        <source>custom_id</source>
        <translation>custom_id</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Content or error</source>
        <translation>Conteúdo ou erro</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>Tokens de entrada</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>Tokens de saída</translation>
    </message>
</context>
<context>
    <name>batchdeck::ResultsTab</name>
    <message>
        <source>All results</source>
        <translation>Todos os resultados</translation>
    </message>
    <message>
        <source>Successes</source>
        <translation>Sucessos</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Erros</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Mostrar:</translation>
    </message>
    <message>
        <source>Cannot read the results: %1</source>
        <translation>Não foi possível ler os resultados: %1</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Lendo…</translation>
    </message>
    <message>
        <source>No results through this filter.</source>
        <translation>Nenhum resultado passa por este filtro.</translation>
    </message>
    <message>
        <source>No results yet: they are stored when the job is processed.</source>
        <translation>Ainda sem resultados: eles são guardados quando o job é processado.</translation>
    </message>
    <message>
        <source>%1 of %2 shown · %3 stored, %4 errors</source>
        <translation>%1 de %2 mostrados · %3 guardados, %4 erros</translation>
    </message>
</context>
<context>
    <name>batchdeck::RunTableModel</name>
    <message>
        <source>Run</source>
        <translation>Execução</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Criado</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Itens</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Jobs</translation>
    </message>
    <message>
        <source>Jobs by status</source>
        <translation>Jobs por status</translation>
    </message>
</context>
<context>
    <name>batchdeck::SettingsDialog</name>
    <message>
        <source>Batchdeck Settings</source>
        <translation>Configurações do Batchdeck</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Provedor</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Banco de dados</translation>
    </message>
    <message>
        <source>HTTP server</source>
        <translation>Servidor HTTP</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Geral</translation>
    </message>
    <message>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <source>Azure OpenAI</source>
        <translation>Azure OpenAI</translation>
    </message>
    <message>
        <source>OpenAI-compatible server</source>
        <translation>Servidor compatível com OpenAI</translation>
    </message>
    <message>
        <source>Provider:</source>
        <translation>Provedor:</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>URL base:</translation>
    </message>
    <message>
        <source>Endpoint:</source>
        <translation>Endpoint:</translation>
    </message>
    <message>
        <source>empty for the v1 API</source>
        <translation>vazio para a API v1</translation>
    </message>
    <message>
        <source>API version:</source>
        <translation>Versão da API:</translation>
    </message>
    <message>
        <source>Stored in the system keychain</source>
        <translation>Guardada no chaveiro do sistema</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>Chave da API:</translation>
    </message>
    <message>
        <source>Serve the HTTP API for Airflow from this console</source>
        <translation>Servir a API HTTP para o Airflow a partir deste console</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Endereço:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Porta:</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <source>Airflow sends the token as &quot;Authorization: Bearer TOKEN&quot;. It is kept in the system keychain; BATCHDECK_API_TOKEN in the environment wins over it. Without a token the server only listens on a loopback address.</source>
        <translation>O Airflow envia o token como &quot;Authorization: Bearer TOKEN&quot;. Ele fica guardado no chaveiro do sistema; BATCHDECK_API_TOKEN no ambiente tem prioridade sobre ele. Sem token, o servidor só escuta em um endereço de loopback.</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Desligado</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>How often the console reads the database for changes</source>
        <translation>Com que frequência o console lê o banco de dados em busca de mudanças</translation>
    </message>
    <message>
        <source>Update every:</source>
        <translation>Atualizar a cada:</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>A submitted job whose provider status and request counts stay the same this long is announced as stuck</source>
        <translation>Um job enviado cujo status no provedor e contagens de requisições ficam iguais por esse tempo é anunciado como parado</translation>
    </message>
    <message>
        <source>Warn when a job has not moved for:</source>
        <translation>Avisar quando um job não avança há:</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Idioma do sistema</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Idioma:</translation>
    </message>
    <message>
        <source>The language changes the next time the console starts.</source>
        <translation>O idioma muda na próxima vez que o console for aberto.</translation>
    </message>
    <message>
        <source>Stored in the keychain; type to replace it</source>
        <translation>Guardado no chaveiro; digite para substituir</translation>
    </message>
    <message>
        <source>No token</source>
        <translation>Sem token</translation>
    </message>
    <message>
        <source>From the environment (%1)</source>
        <translation>Do ambiente (%1)</translation>
    </message>
    <message>
        <source>Type the key to store it in the keychain</source>
        <translation>Digite a chave para guardá-la no chaveiro</translation>
    </message>
    <message>
        <source>%1 is set in the environment: it chooses the provider, not these settings.</source>
        <translation>%1 está definida no ambiente: ela escolhe o provedor, não estas configurações.</translation>
    </message>
    <message>
        <source>%1 is set in the environment: the console uses that key.</source>
        <translation>%1 está definida no ambiente: o console usa essa chave.</translation>
    </message>
    <message>
        <source>%1 is not set: the console can show jobs but not submit them.</source>
        <translation>%1 não está definida: o console mostra os jobs, mas não consegue enviá-los.</translation>
    </message>
    <message>
        <source>The base URL needs http:// or https:// and a host, like http://localhost:8000/v1.</source>
        <translation>A URL base precisa de http:// ou https:// e de um host, como http://localhost:8000/v1.</translation>
    </message>
    <message>
        <source>The Azure endpoint needs https:// and a host, like https://my-resource.openai.azure.com.</source>
        <translation>O endpoint do Azure precisa de https:// e de um host, como https://my-resource.openai.azure.com.</translation>
    </message>
    <message>
        <source>Type the API key to store it in the system keychain.</source>
        <translation>Digite a chave da API para guardá-la no chaveiro do sistema.</translation>
    </message>
    <message>
        <source>The server address must be an IP address, like 127.0.0.1 or 0.0.0.0.</source>
        <translation>O endereço do servidor deve ser um endereço IP, como 127.0.0.1 ou 0.0.0.0.</translation>
    </message>
    <message>
        <source>Without a token the server only listens on a loopback address: set a token or use 127.0.0.1.</source>
        <translation>Sem token, o servidor só escuta em um endereço de loopback: defina um token ou use 127.0.0.1.</translation>
    </message>
    <message>
        <source>Storing in the system keychain…</source>
        <translation>Guardando no chaveiro do sistema…</translation>
    </message>
    <message>
        <source>%1
Nothing was saved. Set %2 in the environment before starting the console instead, or start a keychain (GNOME Keyring, KWallet) and try again.</source>
        <translation>%1
Nada foi salvo. Em vez disso, defina %2 no ambiente antes de abrir o console, ou inicie um chaveiro (GNOME Keyring, KWallet) e tente de novo.</translation>
    </message>
</context>
<context>
    <name>batchdeck::SettingsLauncher</name>
    <message>
        <source>Settings saved. The database and the language change when the console starts again.</source>
        <translation>Configurações salvas. O banco de dados e o idioma mudam quando o console for aberto de novo.</translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>Configurações salvas.</translation>
    </message>
</context>
<context>
    <name>batchdeck::StatusFilterBar</name>
    <message>
        <source>Show jobs of every status</source>
        <translation>Mostrar jobs de todos os status</translation>
    </message>
    <message>
        <source>All %1</source>
        <translation>Todos %1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>status label, count</comment>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>batchdeck::SubmitDialog</name>
    <message>
        <source>Submit a batch</source>
        <translation>Enviar um lote</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>What to submit</source>
        <translation>O que enviar</translation>
    </message>
    <message>
        <source>Choose a run, or type a new run id</source>
        <translation>Escolha uma execução ou digite um novo ID de execução</translation>
    </message>
    <message>
        <source>1–200 characters of letters, digits and . _ : + @ -</source>
        <translation>1–200 caracteres entre letras, dígitos e . _ : + @ -</translation>
    </message>
    <message>
        <source>Run:</source>
        <translation>Execução:</translation>
    </message>
    <message>
        <source>Batch type:</source>
        <translation>Tipo de lote:</translation>
    </message>
    <message>
        <source>Requests from</source>
        <translation>Requisições a partir de</translation>
    </message>
    <message>
        <source>The run&apos;s items, rendered with the batch type</source>
        <translation>Os itens da execução, gerados com o tipo de lote</translation>
    </message>
    <message>
        <source>A ready request file (.jsonl)</source>
        <translation>Um arquivo de requisições pronto (.jsonl)</translation>
    </message>
    <message>
        <source>Import items first:</source>
        <translation>Importar itens antes:</translation>
    </message>
    <message>
        <source>Optional: a CSV or JSONL file; imported into the run when you submit</source>
        <translation>Opcional: um arquivo CSV ou JSONL; importado na execução ao enviar</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Formato:</translation>
    </message>
    <message>
        <source>By name</source>
        <translation>Pelo nome</translation>
    </message>
    <message>
        <source>Key field:</source>
        <translation>Campo chave:</translation>
    </message>
    <message>
        <source>The field that names each item; it becomes each request&apos;s custom_id</source>
        <translation>O campo que nomeia cada item; ele vira o custom_id de cada requisição</translation>
    </message>
    <message>
        <source>Request file:</source>
        <translation>Arquivo de requisições:</translation>
    </message>
    <message>
        <source>One request a line: custom_id, method, url, body</source>
        <translation>Uma requisição por linha: custom_id, method, url, body</translation>
    </message>
    <message>
        <source>Before sending</source>
        <translation>Antes de enviar</translation>
    </message>
    <message>
        <source>The first items of the file</source>
        <translation>Os primeiros itens do arquivo</translation>
    </message>
    <message>
        <source>Lines that cannot be used, by line number: fix them and the dialog reads the file again</source>
        <translation>Linhas que não podem ser usadas, por número de linha: corrija-as e o diálogo lê o arquivo de novo</translation>
    </message>
    <message>
        <source>The first request, as it will be sent</source>
        <translation>A primeira requisição, como será enviada</translation>
    </message>
    <message>
        <source>No batch types are known: the engine has not started.</source>
        <translation>Nenhum tipo de lote conhecido: o motor não iniciou.</translation>
    </message>
    <message>
        <source>Endpoint %1 · model %2</source>
        <translation>Endpoint %1 · modelo %2</translation>
    </message>
    <message>
        <source>Works on the successful results of &apos;%1&apos; in the same run.</source>
        <translation>Trabalha sobre os resultados bem-sucedidos de &apos;%1&apos; na mesma execução.</translation>
    </message>
    <message>
        <source>Choose a run or type a new run id.</source>
        <translation>Escolha uma execução ou digite um novo ID de execução.</translation>
    </message>
    <message>
        <source>Not a valid run id: %1</source>
        <translation>ID de execução inválido: %1</translation>
    </message>
    <message numerus="yes">
        <source>An existing run with %n item(s).</source>
        <translation>
            <numerusform>Uma execução existente com %n item.</numerusform>
            <numerusform>Uma execução existente com %n itens.</numerusform>
        </translation>
    </message>
    <message>
        <source>A new run: import its items from a file below.</source>
        <translation>Uma nova execução: importe seus itens de um arquivo abaixo.</translation>
    </message>
    <message>
        <source>Choose a request file.</source>
        <translation>Escolha um arquivo de requisições.</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>Verificando %1…</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Lendo %1…</translation>
    </message>
    <message>
        <source>Counting the requests…</source>
        <translation>Contando as requisições…</translation>
    </message>
    <message>
        <source>This run has no items yet: choose a file to import.</source>
        <translation>Esta execução ainda não tem itens: escolha um arquivo para importar.</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Linha</translation>
    </message>
    <message numerus="yes">
        <source>%1 has %n bad line(s): nothing will be imported until they are fixed.</source>
        <translation>
            <numerusform>%1 tem %n linha ruim: nada será importado até que seja corrigida.</numerusform>
            <numerusform>%1 tem %n linhas ruins: nada será importado até que sejam corrigidas.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 items in the file; the run has %2 already (a key in both is updated): up to %3 requests.</source>
        <translation>%1 itens no arquivo; a execução já tem %2 (uma chave nos dois é atualizada): até %3 requisições.</translation>
    </message>
    <message>
        <source>%1 requests: one per item of the file.</source>
        <translation>%1 requisições: uma por item do arquivo.</translation>
    </message>
    <message>
        <source>The first item cannot be rendered: %1</source>
        <translation>O primeiro item não pode ser gerado: %1</translation>
    </message>
    <message>
        <source>the requests go to %1, but batch type &apos;%2&apos; sends to %3: choose a batch type of that endpoint</source>
        <translation>as requisições vão para %1, mas o tipo de lote &apos;%2&apos; envia para %3: escolha um tipo de lote desse endpoint</translation>
    </message>
    <message numerus="yes">
        <source>%n bad line(s): nothing will be uploaded until they are fixed.</source>
        <translation>
            <numerusform>%n linha ruim: nada será enviado até que seja corrigida.</numerusform>
            <numerusform>%n linhas ruins: nada será enviado até que sejam corrigidas.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 requests to %2 (%3).</source>
        <translation>%1 requisições para %2 (%3).</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>Linha %1: %2</translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation>… e mais %1</translation>
    </message>
    <message>
        <source>No problems found.</source>
        <translation>Nenhum problema encontrado.</translation>
    </message>
    <message>
        <source>%1 requests: one per successful result of &apos;%2&apos;.</source>
        <translation>%1 requisições: uma por resultado bem-sucedido de &apos;%2&apos;.</translation>
    </message>
    <message>
        <source>Nothing to submit yet: &apos;%1&apos; has no processed results in this run.</source>
        <translation>Nada a enviar ainda: &apos;%1&apos; não tem resultados processados nesta execução.</translation>
    </message>
    <message>
        <source>%1 requests: one per item of the run.</source>
        <translation>%1 requisições: uma por item da execução.</translation>
    </message>
    <message>
        <source>Items to import</source>
        <translation>Itens para importar</translation>
    </message>
    <message>
        <source>Items (*.jsonl *.ndjson *.json *.csv);;All files (*)</source>
        <translation>Itens (*.jsonl *.ndjson *.json *.csv);;Todos os arquivos (*)</translation>
    </message>
    <message>
        <source>Request file</source>
        <translation>Arquivo de requisições</translation>
    </message>
    <message>
        <source>Request files (*.jsonl *.ndjson);;All files (*)</source>
        <translation>Arquivos de requisições (*.jsonl *.ndjson);;Todos os arquivos (*)</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Batchdeck</source>
        <translation>Batchdeck</translation>
    </message>
    <message>
        <source>Batchdeck: the console for LLM batch jobs.</source>
        <translation>Batchdeck: o console para jobs em lote de LLM.</translation>
    </message>
    <message>
        <source>Database URL: sqlite:///abs/path.db or postgresql://user:pass@host:port/dbname (default: $BATCHDECK_DB, else a SQLite file in the user&apos;s data folder).</source>
        <translation>URL do banco de dados: sqlite:///caminho/absoluto.db ou postgresql://usuario:senha@host:porta/banco (padrão: $BATCHDECK_DB, senão um arquivo SQLite na pasta de dados do usuário).</translation>
    </message>
    <message>
        <source>Open the demo database (a sample run; no provider key needed).</source>
        <translation>Abrir o banco de dados de demonstração (uma execução de exemplo; não precisa de chave do provedor).</translation>
    </message>
    <message>
        <source>--demo uses its own database: leave out --db.</source>
        <translation>--demo usa o próprio banco de dados: não use --db.</translation>
    </message>
    <message>
        <source>While the console runs, it serves the same HTTP API as batchdeck-cli serve, over this database and provider: point Airflow&apos;s connection at it.</source>
        <translation>Enquanto o console está aberto, ele serve a mesma API HTTP que o batchdeck-cli serve, sobre este banco de dados e este provedor: aponte a conexão do Airflow para ele.</translation>
    </message>
    <message>
        <source>HTTP API: %1</source>
        <translation>API HTTP: %1</translation>
    </message>
    <message>
        <source>HTTP API off: %1</source>
        <translation>API HTTP desligada: %1</translation>
    </message>
</context>
</TS>
